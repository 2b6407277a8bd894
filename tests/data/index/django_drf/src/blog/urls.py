from django.urls import path

from blog import views

urlpatterns = [
    path("<int:pk>/", views.post_detail, name="post-detail"),
]
