# Filled by the materials part of stage 1.
urlpatterns: list = []
