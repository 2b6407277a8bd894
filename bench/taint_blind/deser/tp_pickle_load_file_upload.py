# blind: deser tp
import pickle

from django.http import JsonResponse
from django.views import View


class ModelUploadView(View):
    def post(self, request):
        model = pickle.load(request.FILES["model"])
        return JsonResponse({"type": type(model).__name__})
