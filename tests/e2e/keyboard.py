"""Driving a page with the keyboard alone, as a person who uses no mouse
does: focus moves only with Tab (or Shift+Tab), controls are worked with
Enter, Space, the arrow keys and typing. Reading the page (which element has
the focus, what a select shows) is how the test sees the screen; nothing
here clicks, focuses an element directly or sets a value."""

from playwright.sync_api import Locator, Page

# Enough for the longest form (a screening instrument with its attribution,
# the page's navigation and the chart header before it).
MAX_TABS = 150

HAS_FOCUS_JS = "(element) => element === document.activeElement"
# htmx is at rest: a change it sends (attendance) has been saved and swapped.
HTMX_IDLE_JS = """() => !window.htmx || document.querySelectorAll(
  '.htmx-request, .htmx-swapping, .htmx-settling').length === 0"""
HOLDS_FOCUS_JS = "(element) => element.contains(document.activeElement)"


def tab_to(page: Page, target: Locator, *, within: bool = False, backwards: bool = False) -> None:
    """Press Tab until `target` has the focus (or, `within`, holds it: a
    radio group, whose one tab stop is its checked or first radio). Fails if
    Tab never gets there: the control is out of the keyboard's reach."""
    script = HOLDS_FOCUS_JS if within else HAS_FOCUS_JS
    for _ in range(MAX_TABS):
        if target.evaluate(script):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {target}")


def fill(page: Page, field: Locator, text: str) -> None:
    """Tab to a text field, clear it and type."""
    tab_to(page, field)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def choose(page: Page, select: Locator, label: str) -> None:
    """Tab to a closed <select> and move through its options with the arrow
    keys until `label` shows (Chromium changes the value as the arrows go)."""
    tab_to(page, select)
    page.keyboard.press("Home")
    count = select.evaluate("(element) => element.options.length")
    for _ in range(count):
        if select.evaluate("(element) => element.selectedOptions[0]?.text.trim()") == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{select} has no option {label!r}")


def pick(page: Page, group: Locator, label: str) -> None:
    """Tab into a radio group and select `label`: Space checks the radio
    that has the focus, the arrows move to (and check) the next one."""
    tab_to(page, group, within=True)
    page.keyboard.press("Space")
    page.wait_for_function(HTMX_IDLE_JS)
    for _ in range(group.get_by_role("radio").count()):
        if group.get_by_label(label, exact=True).is_checked():
            return
        page.keyboard.press("ArrowDown")
        page.wait_for_function(HTMX_IDLE_JS)
    raise AssertionError(f"{group} has no choice {label!r}")


def check(page: Page, box: Locator) -> None:
    """Tab to a checkbox (or radio) and tick it with Space."""
    tab_to(page, box)
    if not box.is_checked():
        page.keyboard.press("Space")


def press(page: Page, control: Locator, key: str = "Enter") -> None:
    """Tab to a link or button and work it."""
    tab_to(page, control)
    page.keyboard.press(key)


def open_menu(page: Page, menu: Locator, link: Locator) -> None:
    """Open a navigation menu from the keyboard and follow one of its
    links: Enter opens it, the arrow keys move through it (Bootstrap's
    dropdown), Enter follows the link."""
    press(page, menu)
    page.keyboard.press("ArrowDown")
    for _ in range(link.locator("xpath=../..").locator("a").count()):
        if link.evaluate(HAS_FOCUS_JS):
            page.keyboard.press("Enter")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"The arrow keys never reached {link}")
