# Filled by the events part of stage 1.
urlpatterns: list = []
