from rest_framework import generics, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from shop.models import Category, Product
from shop.permissions import IsStaffOrReadOnly
from shop.serializers import CategorySerializer, OrderSerializer, ProductSerializer
from shop.services import OutOfStock, place_order


class ProductViewSet(viewsets.ModelViewSet):
    queryset = Product.objects.select_related("category").all()
    serializer_class = ProductSerializer
    permission_classes = [IsStaffOrReadOnly]

    @action(detail=True, methods=["post"])
    def order(self, request, pk=None):
        product = self.get_object()
        quantity = int(request.data.get("quantity", 1))
        try:
            order = place_order(product, quantity)
        except OutOfStock:
            return Response({"detail": "out of stock"}, status=status.HTTP_409_CONFLICT)
        return Response(OrderSerializer(order).data, status=status.HTTP_201_CREATED)


class CategoryList(generics.ListAPIView):
    queryset = Category.objects.order_by("name")
    serializer_class = CategorySerializer


@api_view(["GET"])
@permission_classes([IsAdminUser])
def low_stock(request):
    products = Product.objects.filter(stock__lt=5).select_related("category")
    return Response(ProductSerializer(products, many=True).data)
