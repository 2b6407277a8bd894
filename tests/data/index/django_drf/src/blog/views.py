from django.shortcuts import get_object_or_404, render

from blog.models import Post


def post_detail(request, pk):
    post = get_object_or_404(Post, pk=pk, published=True)
    return render(request, "blog/post_detail.html", {"post": post})
