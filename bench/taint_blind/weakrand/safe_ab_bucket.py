# blind: weakrand safe
import random

from django.shortcuts import render


def landing(request):
    variant = random.choice(["A", "B"])
    return render(request, f"landing_{variant}.html", {"variant": variant})
