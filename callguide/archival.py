"""The PDF's archival and accessible form: PDF/A-2a (tagged, sRGB output intent, XMP) that also
declares PDF/UA-1.

WeasyPrint writes one variant at a time: ``pdf/a-2a`` tags the document (structure tree, headings,
lists, tables with header cells, links with /Contents, /MarkInfo, /Lang, /DisplayDocTitle) and
writes the PDF/A identification; PDF/UA-1 adds no structure of its own beyond that, only its
identification (``pdfuaid:part``) in the same XMP packet. PDF/A-2 allows a property outside its
predefined schemas only with the schema's description (ISO 19005-2, 6.6.2.3), so the PDF/UA
schema is described there too.
"""

from __future__ import annotations

from typing import Any

VARIANT = "pdf/a-2a+ua-1"

_PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
_PDFA_ID = b'pdfaid:part="2"'
_RDF_END = b"</rdf:RDF>"
_UA_SCHEMA = f"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>{_PDFUA_NS}</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property>\
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>""".encode()


def declare_pdfua(xmp: bytes) -> bytes:
    """The XMP packet of a PDF/A-2 document with ``pdfuaid:part="1"`` beside ``pdfaid:part`` and the
    PDF/UA schema's description; ValueError when the packet is not the one WeasyPrint writes."""
    if xmp.count(_PDFA_ID) != 1 or xmp.count(_RDF_END) != 1:
        raise ValueError("XMP packet without one pdfaid:part=2 and one rdf:RDF")
    xmp = xmp.replace(_PDFA_ID, _PDFA_ID + f' xmlns:pdfuaid="{_PDFUA_NS}" pdfuaid:part="1"'.encode())
    return xmp.replace(_RDF_END, _UA_SCHEMA + _RDF_END)


def _number(reference: Any) -> int:
    """The object number of a pydyf reference (b"12 0 R")."""
    return int((reference.decode() if isinstance(reference, bytes) else str(reference)).split()[0])


def wrap_list_bodies(pdf: Any) -> int:
    """Give every list item a body. With ``list-style-position: inside`` (the guide's "1.……" lists,
    indented like paragraphs) WeasyPrint 70 tags an item as its label followed by bare spans; PDF
    (14.8.4.3.3) and PDF/UA-1 (7.6) want LI → Lbl + LBody. The spans move into a new LBody; an item
    holding marked content itself is left as it is (its ParentTree entries name the LI). Returns
    the number of items changed."""
    import pydyf

    changed = 0
    for li in list(pdf.objects):
        if not isinstance(li, pydyf.Dictionary) or li.get("Type") != "/StructElem" or li.get("S") != "/LI":
            continue
        kids = list(li["K"])
        if not kids or not all(isinstance(k, bytes) for k in kids):
            continue
        elements = [pdf.objects[_number(k)] for k in kids]
        kinds = [e.get("S") for e in elements]
        if "/LBody" in kinds:
            continue
        labels = [k for k, kind in zip(kids, kinds, strict=True) if kind == "/Lbl"]
        rest = [(k, e) for k, e, kind in zip(kids, elements, kinds, strict=True) if kind != "/Lbl"]
        if not rest:
            continue
        body = pydyf.Dictionary(
            {"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array([k for k, _ in rest]), "P": li.reference}
        )
        pdf.add_object(body)
        for _, element in rest:
            element["P"] = body.reference
        li["K"] = pydyf.Array([*labels, body.reference])
        changed += 1
    return changed


def _pdfa_ua(pdf: Any, document: Any, page_streams: Any, attachments: Any, compress: bool) -> None:
    from weasyprint.pdf import pdfa

    wrap_list_bodies(pdf)
    pdfa.pdfa(pdf, document, page_streams, attachments, compress, version=2, variant="A")
    stream = pdf.objects[_number(pdf.catalog["Metadata"])]
    stream.stream = [declare_pdfua(b"".join(stream.stream))]


def register() -> str:
    """Make the variant known to WeasyPrint (idempotent); returns its name for ``write_pdf``."""
    from weasyprint.pdf import VARIANTS, pdfa

    if VARIANT not in VARIANTS:
        _, properties = pdfa.VARIANTS["pdf/a-2a"]
        VARIANTS[VARIANT] = (_pdfa_ua, dict(properties))
    return VARIANT
