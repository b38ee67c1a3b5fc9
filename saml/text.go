package saml

import (
	"strings"

	"github.com/beevik/etree"
)

// Text returns the whole text content of a text-only element: every
// character-data and CDATA child concatenated, comments and processing
// instructions skipped. This is the value exclusive canonicalisation (and so a
// signature) covers. Never read a SAML value with etree's Element.Text: older
// etree versions stopped at the first comment, and v1.8 still stops at the
// first child element, so "admin@x<!---->.evil.example" or
// "admin@x<b/>.evil.example" could read as "admin@x" (the comment-injection
// class, landscape.md).
//
// An element with child elements or directives has no single text value;
// Text returns [ErrNotText] for it. A nil element has empty text.
func Text(el *etree.Element) (string, error) {
	if el == nil {
		return "", nil
	}
	if len(el.Child) == 1 {
		if c, ok := el.Child[0].(*etree.CharData); ok {
			return c.Data, nil
		}
	}
	var b strings.Builder
	for _, t := range el.Child {
		switch t := t.(type) {
		case *etree.CharData:
			b.WriteString(t.Data)
		case *etree.Comment, *etree.ProcInst:
		case *etree.Element:
			return "", &FieldError{Element: el.Tag, Field: t.Tag, Reason: "child element in text-only element", Err: ErrNotText}
		default:
			return "", &FieldError{Element: el.Tag, Field: "", Reason: "directive in text-only element", Err: ErrNotText}
		}
	}
	return b.String(), nil
}
