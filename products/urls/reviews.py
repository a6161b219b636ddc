# Filled by the reviews part of stage 1.
urlpatterns: list = []
