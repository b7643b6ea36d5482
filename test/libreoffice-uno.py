"""Reads a Word file the way LibreOffice understands it, for test/libreoffice.ts.

Usage: python3 libreoffice-uno.py <port> <file> <connect-seconds>

Connects to a LibreOffice started with --accept on 127.0.0.1:<port> (retrying while it starts),
loads <file> and prints one JSON object on stdout: the tracked changes it lists, the comments, and the
body text as it is, with every change accepted (Accept All, through the dispatcher, in a hidden view) and
with every change rejected (Reject All, in a fresh view). Errors go to stderr with a non-zero exit status.
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def main(port, path, connect_seconds):
    context = connect(port, time.monotonic() + connect_seconds)
    manager = context.ServiceManager
    desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    dispatcher = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)

    # Debian's LibreOffice without a GUI (the -nogui packages) lacks the comment sidebar's UI file and
    # aborts as soon as a view lays out a comment. So the file is first read as a model without a view;
    # a copy without its comments, in LibreOffice's own format, then gets the views the accept and
    # reject commands need.
    model = load_model(manager, context, uno.systemPathToFileUrl(path))
    try:
        report = {
            "revisions": revisions(model),
            "comments": comments(model),
            "asIs": body_text(model),
        }
        remove_comments(model)
        copy = uno.systemPathToFileUrl(path + ".odt")
        model.storeToURL(copy, (prop("FilterName", "writer8"),))
    finally:
        model.close(True)

    # Each from the file, so the rejection does not start from the accepted text.
    for key, command in (("accepted", ".uno:AcceptAllTrackedChanges"), ("rejected", ".uno:RejectAllTrackedChanges")):
        document = load_view(desktop, copy)
        try:
            report[key] = text_after(dispatcher, document, command)
        finally:
            document.close(True)
    json.dump(report, sys.stdout, ensure_ascii=False)


def connect(port, deadline):
    """The remote component context, retried until the deadline: soffice takes seconds to listen."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    address = "uno:socket,host=127.0.0.1,port=%d;urp;StarOffice.ComponentContext" % port
    while True:
        try:
            return resolver.resolve(address)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def load_model(manager, context, url):
    model = manager.createInstanceWithContext("com.sun.star.text.TextDocument", context)
    model.load((prop("URL", url), prop("FilterName", "MS Word 2007 XML")))
    return model


def load_view(desktop, url):
    document = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    if document is None:
        raise RuntimeError("LibreOffice could not open " + url)
    return document


def text_after(dispatcher, document, command):
    frame = document.getCurrentController().getFrame()
    dispatcher.executeDispatch(frame, command, "", 0, ())
    left = document.getRedlines().createEnumeration().hasMoreElements()
    if left:
        raise RuntimeError(command + " left tracked changes in the document")
    return body_text(document)


def revisions(document):
    listed = []
    enumeration = document.getRedlines().createEnumeration()
    while enumeration.hasMoreElements():
        redline = enumeration.nextElement()
        listed.append({
            "type": redline.getPropertyValue("RedlineType"),
            "author": redline.getPropertyValue("RedlineAuthor"),
            "date": iso_date(redline.getPropertyValue("RedlineDateTime")),
        })
    return listed


def annotations(document):
    """The document's comments, as LibreOffice's text fields of type Annotation."""
    found = []
    enumeration = document.getTextFields().createEnumeration()
    while enumeration.hasMoreElements():
        field = enumeration.nextElement()
        if field.supportsService("com.sun.star.text.TextField.Annotation"):
            found.append(field)
    return found


def comments(document):
    return [{"author": field.getPropertyValue("Author"), "text": field.getPropertyValue("Content")} for field in annotations(document)]


def remove_comments(document):
    for annotation in annotations(document):
        annotation.dispose()


def body_text(document):
    """The body's paragraphs joined with newlines; footnote anchors, comments and bookmarks are not text."""
    paragraphs = []
    enumeration = document.getText().createEnumeration()
    while enumeration.hasMoreElements():
        paragraph = enumeration.nextElement()
        if paragraph.supportsService("com.sun.star.text.Paragraph"):
            paragraphs.append(paragraph_text(paragraph))
    return "\n".join(paragraphs)


def paragraph_text(paragraph):
    parts = []
    portions = paragraph.createEnumeration()
    while portions.hasMoreElements():
        portion = portions.nextElement()
        if portion.getPropertyValue("TextPortionType") == "Text":
            parts.append(portion.getString())
    return "".join(parts)


def iso_date(value):
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % (value.Year, value.Month, value.Day, value.Hours, value.Minutes, value.Seconds)
    return text + "Z" if value.IsUTC else text


def prop(name, value):
    result = PropertyValue()
    result.Name = name
    result.Value = value
    return result


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(int(sys.argv[1]), sys.argv[2], float(sys.argv[3]))
