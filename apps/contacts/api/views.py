"""Contacts and groups API (Comms face: "Contact" and "Contact Group")."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from apps.accounts.models import Client
from apps.contacts import selectors, services
from apps.contacts.api import serializers as s
from apps.contacts.filters import ContactFilter, GroupContactFilter, GroupFilter
from apps.contacts.models import Contact, Group
from apps.contacts.phones import region_for_client
from apps.core.permissions import RequiredPermissions

VIEW_C, ADD_C, CHANGE_C, DELETE_C = (
    f"contacts.{a}_contact" for a in ("view", "add", "change", "delete")
)
VIEW_G, ADD_G, CHANGE_G, DELETE_G = (
    f"contacts.{a}_group" for a in ("view", "add", "change", "delete")
)
DELETED = OpenApiResponse(description="Deleted; the body is `true`.")
CONTACT_ID = OpenApiParameter("contact_id", int, OpenApiParameter.PATH)
GROUP_ID = OpenApiParameter("group_id", int, OpenApiParameter.PATH)


def client_for_create(request) -> Client:
    """The client a new row belongs to: the caller's, or for global staff the body's
    ``client_id``."""
    client_id = request.user.client_id or request.data.get("client_id")
    client = Client.objects.filter(pk=client_id).first() if str(client_id).isdigit() else None
    if client is None:
        raise ValidationError({"client_id": ["An existing client id is required."]})
    return client


class ContactScopedMixin:
    """Contacts the caller may see; another client's contact answers 404 like a missing one."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    serializer_class = s.ContactSerializer
    lookup_url_kwarg = "contact_id"
    required_permissions = {
        "GET": [VIEW_C],
        "POST": [ADD_C],
        "PUT": [CHANGE_C],
        "DELETE": [DELETE_C],
    }

    def get_queryset(self):
        return selectors.contact_list(actor=self.request.user)


class GroupScopedMixin:
    """Groups the caller may see, with their ``contact_total``."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    serializer_class = s.GroupSerializer
    lookup_url_kwarg = "group_id"
    required_permissions = {
        "GET": [VIEW_G],
        "POST": [ADD_G],
        "PUT": [CHANGE_G],
        "DELETE": [DELETE_G],
    }

    def get_queryset(self):
        return selectors.group_list(actor=self.request.user)


class ContactListView(ContactScopedMixin, generics.ListAPIView):
    """``GET /api/contacts`` (filters in the query string) and ``POST /api/contacts``."""

    filterset_class = ContactFilter

    @extend_schema(request=s.ContactSerializer, responses={200: s.ContactCreatedSerializer})
    def post(self, request):
        client = client_for_create(request)
        serializer = s.ContactSerializer(
            data=request.data, context={"region": region_for_client(client)}
        )
        serializer.is_valid(raise_exception=True)
        contact = services.contact_create(
            client_id=client.id, created_by=request.user, **serializer.validated_data
        )
        return Response({"contact_id": contact.id})


@extend_schema(parameters=[CONTACT_ID])
class ContactDetailView(ContactScopedMixin, generics.RetrieveAPIView):
    """``GET/PUT/DELETE /api/contacts/{contact_id}``; PUT changes only the given fields."""

    @extend_schema(request=s.ContactSerializer, responses={200: s.ContactSerializer})
    def put(self, request, contact_id):
        contact = self.get_object()
        serializer = s.ContactSerializer(
            contact,
            data=request.data,
            partial=True,
            context={"region": region_for_client(contact.client)},
        )
        serializer.is_valid(raise_exception=True)
        services.contact_update(contact=contact, **serializer.validated_data)
        return Response(s.ContactSerializer(contact).data)

    @extend_schema(responses={200: DELETED})
    def delete(self, request, contact_id):
        services.contact_delete(contact=self.get_object())
        return Response(True)


@extend_schema(parameters=[CONTACT_ID, GROUP_ID])
class ContactLinkView(ContactScopedMixin, generics.GenericAPIView):
    """``PUT`` (link) and ``DELETE`` (unlink) ``/api/contacts/{contact_id}/link/{group_id}``.

    Both answer the contact; linking twice or unlinking a contact that is not in the group is
    harmless. The group must belong to the contact's client (else 404).
    """

    required_permissions = {"PUT": [CHANGE_C, CHANGE_G], "DELETE": [CHANGE_C, CHANGE_G]}

    def _contact_and_group(self) -> tuple[Contact, Group]:
        contact = self.get_object()
        groups = selectors.group_list(actor=self.request.user).filter(client_id=contact.client_id)
        return contact, get_object_or_404(groups, pk=self.kwargs["group_id"])

    @extend_schema(request=None, responses={200: s.ContactSerializer})
    def put(self, request, contact_id, group_id):
        contact, group = self._contact_and_group()
        services.contact_link(contact=contact, group=group)
        return Response(s.ContactSerializer(contact).data)

    @extend_schema(request=None, responses={200: s.ContactSerializer})
    def delete(self, request, contact_id, group_id):
        contact, group = self._contact_and_group()
        services.contact_unlink(contact=contact, group=group)
        return Response(s.ContactSerializer(contact).data)


class GroupListView(GroupScopedMixin, generics.ListAPIView):
    """``GET /api/groups`` (filters in the query string) and ``POST /api/groups``."""

    filterset_class = GroupFilter

    @extend_schema(request=s.GroupSerializer, responses={200: s.GroupCreatedSerializer})
    def post(self, request):
        client = client_for_create(request)
        serializer = s.GroupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = services.group_create(
            client_id=client.id, created_by=request.user, **serializer.validated_data
        )
        return Response({"group_id": group.id})


@extend_schema(parameters=[GROUP_ID])
class GroupDetailView(GroupScopedMixin, generics.RetrieveAPIView):
    """``GET/PUT/DELETE /api/groups/{group_id}``; deleting a group keeps its contacts."""

    @extend_schema(request=s.GroupSerializer, responses={200: s.GroupSerializer})
    def put(self, request, group_id):
        group = self.get_object()
        serializer = s.GroupSerializer(group, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.group_update(group=group, **serializer.validated_data)
        return Response(s.GroupSerializer(self.get_object()).data)

    @extend_schema(responses={200: DELETED})
    def delete(self, request, group_id):
        services.group_delete(group=self.get_object())
        return Response(True)


@extend_schema(parameters=[GROUP_ID])
class GroupContactsView(generics.ListAPIView):
    """``GET /api/groups/{group_id}/contacts``: the group's contacts, paged, with the same
    filters as ``/api/contacts``."""

    permission_classes = [IsAuthenticated, RequiredPermissions]
    required_permissions = {"GET": [VIEW_G, VIEW_C]}
    serializer_class = s.ContactSerializer
    filterset_class = GroupContactFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no group
            return Contact.objects.none()
        groups = selectors.group_list(actor=self.request.user)
        group = get_object_or_404(groups, pk=self.kwargs["group_id"])
        return selectors.group_contacts(group=group)
