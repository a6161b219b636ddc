# Filled by the news part of stage 1.
urlpatterns: list = []
