# blind: deser tp
import pickle
from dataclasses import dataclass

from django.http import JsonResponse
from django.views import View


@dataclass
class Upload:
    blob: bytes

    def restore(self):
        return pickle.loads(self.blob)


class WorkspaceRestore(View):
    def post(self, request):
        state = Upload(request.body).restore()
        return JsonResponse({"keys": list(state)})
