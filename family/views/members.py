"""Adding, linking and editing a client's family members."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from family import selectors, services
from family.forms import FamilyMemberForm, LinkMemberForm, MemberSearchForm
from family.models import FamilyLink
from iop.accounts import roles
from iop.audit.decorators import client_view
from iop.clients.views import chart_redirect
from iop.formtools import form_saved


def _page(request, client, *, form, link=None, link_form=None, find="", status=200):
    context = {"client": client, "form": form, "link": link}
    if link is None:
        # Linking: a search within the user's reach, never a list of the
        # program's relatives (their surnames hint at who is in treatment).
        search_form = MemberSearchForm({"find": find} if find else None)
        query = search_form.cleaned_data["find"] if search_form.is_valid() else ""
        search = selectors.linkable_members_search(request.user, client, query)
        link_form = link_form or LinkMemberForm(initial={"find": search.query})
        link_form.offer(search.members)
        context |= {"search_form": search_form, "search": search, "link_form": link_form}
    return render(request, "family/member_form.html", context, status=status)


@client_view(*roles.CLINICIANS, whole_record=True)
def member_new(request, client):
    form = FamilyMemberForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.family_member_add(
            actor=request.user,
            client=client,
            data=form.member_data(),
            relationship=data["relationship"],
            request=request,
        ),
        success=_("Family member added."),
    )
    if saved:
        return chart_redirect(client, section="family")
    status = 400 if request.method == "POST" else 200
    return _page(request, client, form=form, find=request.GET.get("find", ""), status=status)


@client_view(*roles.CLINICIANS, whole_record=True)
@require_POST
def member_link(request, client):
    link_form = LinkMemberForm(
        request.POST, members=selectors.linkable_members(request.user, client)
    )
    saved = form_saved(
        request,
        link_form,
        lambda data: services.family_member_link(
            actor=request.user,
            client=client,
            member=data["member"],
            relationship=data["relationship"],
            request=request,
        ),
        success=_("Family member added."),
    )
    if saved:
        return chart_redirect(client, section="family")
    find = request.POST.get("find", "")
    return _page(
        request, client, form=FamilyMemberForm(), link_form=link_form, find=find, status=400
    )


@client_view(*roles.CLINICIANS, whole_record=True)
def member_edit(request, client, member_id):
    link = get_object_or_404(
        FamilyLink.objects.select_related("member", "client"),
        client=client,
        member__public_id=member_id,
    )
    form = FamilyMemberForm(
        request.POST or None, instance=link.member, initial={"relationship": link.relationship}
    )
    saved = form_saved(
        request,
        form,
        lambda data: services.family_member_update(
            actor=request.user,
            link=link,
            data=form.member_data(),
            relationship=data["relationship"],
            request=request,
        ),
        success=_("Family member updated."),
    )
    if saved:
        return chart_redirect(client, section="family")
    status = 400 if request.method == "POST" else 200
    return _page(request, client, form=form, link_form=None, link=link, status=status)
