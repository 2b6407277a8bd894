# blind: cmdi tp
import subprocess

from rest_framework.response import Response
from rest_framework.views import APIView


class ConvertView(APIView):
    def post(self, request):
        tool = request.data["converter"]
        proc = subprocess.run([tool, "--input", "/tmp/in.dat"], capture_output=True)
        return Response({"rc": proc.returncode})
