package saml

import (
	"fmt"

	"github.com/beevik/etree"
)

// Serialize writes el as a standalone XML document (without an XML
// declaration), escaping carriage returns in text and tabs, newlines and
// carriage returns in attribute values as character references.
//
// Use it for every message that is signed or will be signed. etree's default
// writer leaves those characters literal; the receiving parser then
// normalises them (XML 1.0 §2.11, §3.3.3) and the digest no longer matches, so
// a signature made before writing would fail to verify at the peer. el is
// not modified and may stay attached to its document.
func Serialize(el *etree.Element) ([]byte, error) {
	if el == nil {
		return nil, fmt.Errorf("%w: nothing to serialize", ErrInvalidMessage)
	}
	doc := etree.NewDocument()
	doc.WriteSettings.CanonicalText = true
	doc.WriteSettings.CanonicalAttrVal = true
	doc.WriteSettings.CanonicalEndTags = false
	if el.Parent() != nil {
		// Writing needs el as a document root; copy rather than detach the
		// caller's element from its tree.
		el = el.Copy()
	}
	doc.SetRoot(el)
	out, err := doc.WriteToBytes()
	doc.RemoveChild(el)
	if err != nil {
		return nil, fmt.Errorf("saml: serialize: %w", err)
	}
	return out, nil
}
