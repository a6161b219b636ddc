from django.urls import path

from products.views import reviews

urlpatterns = [
    path("reviews/queue/", reviews.expert_queue, name="expert_queue"),
    path("<int:pk>/review/", reviews.review_form, name="review_form"),
    path("<int:pk>/review/withdraw/", reviews.review_withdraw, name="review_withdraw"),
    path("<int:pk>/reviews/", reviews.product_reviews, name="product_reviews"),
]
