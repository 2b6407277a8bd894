# blind: pathtrav tp
import os
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse


@dataclass
class Attachment:
    folder: str
    name: str

    @property
    def path(self) -> str:
        return os.path.join(settings.MEDIA_ROOT, self.folder, self.name)


def download(request):
    att = Attachment(folder="attachments", name=request.GET["name"])
    return FileResponse(open(att.path, "rb"))
