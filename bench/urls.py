"""The portal's URLs plus the baseline view, for benchmarks only."""

from django.urls import include, path

from bench.views import baseline

urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("innoteka.urls")),
]
