# Filled by the interests part of stage 1.
urlpatterns: list = []
