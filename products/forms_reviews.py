"""The expert's review form: a score per criterion, a conclusion, a verdict."""

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from products.models import ExpertReview, ReviewCriterion
from products.services.reviews import MAX_SCORE, MIN_SCORE

SCORE_CHOICES = [(score, str(score)) for score in range(MIN_SCORE, MAX_SCORE + 1)]


class ScoreSelect(forms.RadioSelect):
    """Five radio buttons in a row, inside the field's fieldset."""

    template_name = "products/reviews/score_widget.html"


class ReviewForm(forms.Form):
    """Score fields are named ``score_<criterion id>``, one per criterion."""

    conclusion = forms.CharField(
        label=_("Conclusion"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Your opinion of the product's quality: strengths, risks, what to "
            "improve, for whom it suits."
        ),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=ExpertReview.Recommendation.choices,
        widget=forms.RadioSelect,
    )

    def __init__(
        self, *args, criteria: list[ReviewCriterion], review=None, **kwargs
    ) -> None:
        if review is not None:
            kwargs["initial"] = {
                "conclusion": review.conclusion,
                "recommendation": review.recommendation,
                **{
                    self.field_name(score.criterion_id): score.score
                    for score in review.scores.all()
                },
            }
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        score_fields = {
            self.field_name(criterion.pk): forms.TypedChoiceField(
                label=criterion.name,
                # The form templates print help text unescaped.
                help_text=escape(criterion.description),
                choices=SCORE_CHOICES,
                coerce=int,
                widget=ScoreSelect,
            )
            for criterion in criteria
        }
        # Scores come first, as the expert weighs them before concluding.
        self.fields = {**score_fields, **self.fields}

    @staticmethod
    def field_name(criterion_id: int) -> str:
        return f"score_{criterion_id}"

    def score_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(criterion.pk)] for criterion in self.criteria]

    def scores(self) -> dict[int, int]:
        """Return the cleaned scores keyed by criterion id."""
        return {
            criterion.pk: self.cleaned_data[self.field_name(criterion.pk)]
            for criterion in self.criteria
        }
