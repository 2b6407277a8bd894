# blind: cmdi safe
import subprocess

from rest_framework.response import Response
from rest_framework.views import APIView

CONVERTERS = {"pdf": "/usr/bin/pdftotext", "doc": "/usr/bin/antiword"}


class ConvertView(APIView):
    def post(self, request):
        tool = CONVERTERS.get(request.data.get("kind"))
        if tool is None:
            return Response(status=400)
        proc = subprocess.run([tool, "/tmp/in.dat"], capture_output=True)
        return Response({"rc": proc.returncode})
