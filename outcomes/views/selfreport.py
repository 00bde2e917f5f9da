"""The pages a client opens from a self-report link: no staff sign-in.

The first pages of the application reachable without signing in that accept
data, so every answer here is built to give nothing away:
- an unknown, expired, used, locked or cancelled link gets the same page and
  the same status (404), so a token cannot be probed;
- before the date of birth is confirmed, nothing about the client or the
  clinic's kind of care is shown; the confirmed state is kept in the session
  under the link's public id (never the token);
- requests are limited per address and per link (outcomes.ratelimit); every
  page shown and every attempt is audited with the client as its subject;
- responses are not cached and send no referrer to another origin (the
  token is in the path);
  CSRF and the strict Content-Security-Policy apply as everywhere.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from outcomes.forms import DateOfBirthForm
from outcomes.models import SelfReportLink
from outcomes.ratelimit import within_limits
from outcomes.selfreport_texts import PAGE_LANGUAGES, texts_for
from outcomes.services import links
from screening.instruments import InstrumentValidationError, score
from screening.instruments.translations import languages_of, localized

VERIFIED = "selfreport_link"
DONE = "selfreport_done"
SUICIDE_RISK = "suicide_risk"


def public_page(view):
    """Headers of every self-report page: never stored by a browser or a
    proxy, not indexed, and no Referer beyond this origin (the token is in
    the URL). "same-origin" rather than "no-referrer": under "no-referrer"
    browsers send `Origin: null` with the page's own POST, which CSRF
    protection rightly refuses; the pages link to nothing outside the
    origin but tel: numbers, which carry no Referer."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    wrapped.public = True
    return wrapped


def _page_language(request, default: str) -> str:
    wanted = request.GET.get("lang") or request.POST.get("lang") or default
    return wanted if wanted in dict(PAGE_LANGUAGES) else "en"


def _unavailable(request, language: str = "en", *, status: int = 404):
    texts = texts_for(language)
    heading, body = (
        (texts["too_many_heading"], texts["too_many_body"])
        if status == 429
        else (texts["unavailable_heading"], texts["unavailable_body"])
    )
    return render(
        request,
        "outcomes/selfreport/unavailable.html",
        {"t": texts, "language": language, "heading": heading, "body": body},
        status=status,
    )


def _link(request, token: str) -> SelfReportLink | None:
    """The live link, or None; counts the request against the limits first
    (an over-limit request is answered before any query)."""
    digest = links.token_digest(token) if links.TOKEN_SHAPE.fullmatch(token) else "malformed"
    if not within_limits(request, link_key=digest):
        raise _TooMany
    return links.link_for_token(token)


class _TooMany(Exception):
    pass


def _limited(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _TooMany:
            return _unavailable(request, _page_language(request, "en"), status=429)

    return wrapped


def _verified(request, link: SelfReportLink) -> bool:
    return request.session.get(VERIFIED) == str(link.public_id) and link.verified_at is not None


@public_page
@_limited
@require_http_methods(["GET", "POST"])
def link_open(request, token):
    """The date-of-birth question: three wrong answers lock the link."""
    link = _link(request, token)
    if link is None:
        return _unavailable(request, _page_language(request, "en"))
    language = _page_language(request, link.language)
    if _verified(request, link):
        return redirect("selfreport:form", token=token)
    texts = texts_for(language)
    form = DateOfBirthForm(request.POST or None, texts=texts)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            outcome = links.link_verify(
                link=link, date_of_birth=form.cleaned_data["date_of_birth"], request=request
            )
            if outcome == "verified":
                # A new session key once the person is known (no fixation).
                request.session.cycle_key()
                request.session[VERIFIED] = str(link.public_id)
                return redirect(f"{_form_url(token)}?lang={language}")
            if outcome == "locked":
                return _unavailable(request, language)
            left = links.MAX_TRIES - link.failed_attempts
            form.add_error("date_of_birth", texts["wrong"] % {"left": left})
        status = 400
    else:
        links.link_opened(link=link, request=request, page="date of birth page")
    return render(
        request,
        "outcomes/selfreport/verify.html",
        {"t": texts, "language": language, "languages": PAGE_LANGUAGES, "form": form},
        status=status,
    )


def _form_url(token: str) -> str:
    return reverse("selfreport:form", args=[token])


def _items(instrument, answers: dict, errors: dict) -> list[dict]:
    total = len(instrument.items)
    return [
        {
            "item": item,
            "number": number,
            "total": total,
            "name": f"item-{item.key}",
            "answer": str(answers.get(item.key, "")),
            "error": errors.get(item.key, ""),
        }
        for number, item in enumerate(instrument.items, start=1)
    ]


def _item_errors(instrument, answers: dict, error: InstrumentValidationError, texts) -> dict:
    """Item-level messages in the client's language, never echoing a value."""
    keys = {item.key for item in instrument.items}
    return {
        key: texts["item_required"] if answers.get(key) in (None, "") else texts["item_invalid"]
        for key in error.errors
        if key in keys
    } or {instrument.items[0].key: texts["item_invalid"]}


@public_page
@_limited
@require_http_methods(["GET", "POST"])
def link_form(request, token):
    """The questionnaire, once the date of birth was confirmed; nothing is
    stored until it is sent, and then once."""
    link = _link(request, token)
    if link is None or not _verified(request, link):
        return _unavailable(request, _page_language(request, "en"))
    code = link.due.instrument
    available = languages_of(code)
    wanted = _page_language(request, link.language)
    language = wanted if wanted in available else "en"
    texts = texts_for(wanted)
    instrument = localized(code, language)
    one_at_a_time = (request.GET.get("layout") or request.POST.get("layout")) != "all"
    answers, errors, status = {}, {}, 200
    if request.method == "POST":
        # Only the instrument's own items are read: anything else posted is ignored.
        answers = {
            item.key: request.POST.get(f"item-{item.key}", "").strip()[:20]
            for item in instrument.items
        }
        answers = {key: value for key, value in answers.items() if value != ""}
        try:
            score(code, answers)
            administration = links.link_submit(
                link=link, answers=answers, language=language, request=request
            )
        except InstrumentValidationError as error:
            errors, status = _item_errors(instrument, answers, error, texts), 400
            # The form is shown again with the answers given: a view too.
            links.link_opened(link=link, request=request, page="form with errors")
        except links.LinkUnavailable:
            return _unavailable(request, wanted)
        else:
            request.session.pop(VERIFIED, None)
            request.session[DONE] = {
                "language": wanted,
                "crisis": SUICIDE_RISK in administration.flags,
            }
            return redirect("selfreport:done")
    else:
        links.link_opened(link=link, request=request, page="form")
    items = _items(instrument, answers, errors)
    return render(
        request,
        "outcomes/selfreport/form.html",
        {
            "t": texts,
            "language": wanted,
            "languages": [(key, name) for key, name in PAGE_LANGUAGES if key in available],
            "translated": language == wanted,
            "offers_spanish": "es" in available,
            "instrument": instrument,
            "items": items,
            "errors": [row for row in items if row["error"]],
            "answered": sum(1 for row in items if row["answer"]),
            "one_at_a_time": one_at_a_time,
            "token": token,
        },
        status=status,
    )


@public_page
@require_safe
def link_done(request):
    """The thank-you page: nothing clinical, except the crisis resources
    where an answer raised a safety flag (DOMAIN.md: safety first)."""
    done = request.session.get(DONE)
    if not isinstance(done, dict):
        return _unavailable(request, _page_language(request, "en"))
    language = done.get("language", "en")
    texts = texts_for(language)
    return render(
        request,
        "outcomes/selfreport/done.html",
        {
            "t": texts,
            "language": language,
            "crisis": bool(done.get("crisis")),
            "clinic_phone": settings.CLINIC_PHONE,
            "clinic_line": texts["crisis_clinic"] % {"phone": settings.CLINIC_PHONE},
        },
    )
