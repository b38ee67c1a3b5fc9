package saml

import (
	"fmt"
	"time"

	"github.com/beevik/etree"
)

// NameID is a saml:NameID or saml:Issuer (both NameIDType, SAML core §2.2.3).
type NameID struct {
	// Value is the identifier, read whole with [Text].
	Value string
	// Format is the NameID format URI; empty means unspecified.
	Format string
	// NameQualifier is the security domain of the IdP that made the value.
	NameQualifier string
	// SPNameQualifier is the SP (or affiliation) the value was made for.
	SPNameQualifier string
	// SPProvidedID is an alternative identifier set by the SP.
	SPProvidedID string
}

// element builds the NameIDType element named local in the assertion
// namespace.
func (n *NameID) element(local string) *etree.Element {
	el := newSAML(nil, local)
	setAttr(el, "NameQualifier", n.NameQualifier)
	setAttr(el, "SPNameQualifier", n.SPNameQualifier)
	setAttr(el, "Format", n.Format)
	setAttr(el, "SPProvidedID", n.SPProvidedID)
	el.SetText(n.Value)
	return el
}

// parseNameID reads a NameIDType element (NameID or Issuer).
func parseNameID(el *etree.Element) (*NameID, error) {
	v, err := Text(el)
	if err != nil {
		return nil, err
	}
	if v == "" {
		return nil, invalid(parentTag(el), el.Tag, "empty value")
	}
	return &NameID{
		Value:           v,
		Format:          attrValue(el, "Format"),
		NameQualifier:   attrValue(el, "NameQualifier"),
		SPNameQualifier: attrValue(el, "SPNameQualifier"),
		SPProvidedID:    attrValue(el, "SPProvidedID"),
	}, nil
}

// parentTag is the local name of el's parent element, or "" at the top.
func parentTag(el *etree.Element) string {
	if p := el.Parent(); p != nil {
		return p.Tag
	}
	return ""
}

// addNameID appends n as child local of parent when n is not nil.
func addNameID(parent *etree.Element, local string, n *NameID) {
	if n != nil {
		parent.AddChild(n.element(local))
	}
}

// isSignature reports whether el is a ds:Signature element.
func isSignature(el *etree.Element) bool { return is(el, NSDSig, "Signature") }

// CheckUniqueIDs walks the whole document el belongs to (from its top-most
// ancestor) and fails with [ErrDuplicateID] if two elements carry the same
// value in an attribute named ID, Id, id or xml:id. Signature-wrapping
// attacks rely on a second element with the signed element's ID; every
// ParseXxx function of this package runs this check.
func CheckUniqueIDs(el *etree.Element) error {
	top := el
	for p := top.Parent(); p != nil; p = p.Parent() {
		top = p
	}
	seen := make(map[string]struct{}, 8)
	return walkIDs(top, seen)
}

func walkIDs(el *etree.Element, seen map[string]struct{}) error {
	for _, a := range el.Attr {
		if !isIDAttr(a) || a.Value == "" {
			continue
		}
		if _, dup := seen[a.Value]; dup {
			return fmt.Errorf("%w: %q (on %s)", ErrDuplicateID, a.Value, el.Tag)
		}
		seen[a.Value] = struct{}{}
	}
	for _, t := range el.Child {
		if ch, ok := t.(*etree.Element); ok {
			if err := walkIDs(ch, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

func isIDAttr(a etree.Attr) bool {
	switch {
	case a.Space == "":
		return a.Key == "ID" || a.Key == "Id" || a.Key == "id"
	case a.Space == "xml":
		return a.Key == "id"
	}
	return false
}

// header holds the attributes and leading children shared by every request
// (RequestAbstractType) and every response (StatusResponseType).
type header struct {
	ID, Version, Destination, Consent string
	InResponseTo                      string
	IssueInstant                      time.Time
	Issuer                            *NameID
	Extensions                        []*etree.Element
}

// parseHeader reads the shared attributes of a request or response root and
// consumes its Issuer, Signature and Extensions children; it returns the
// remaining children.
func parseHeader(el *etree.Element, h *header) ([]*etree.Element, error) {
	var err error
	if h.ID, err = reqAttr(el, "ID"); err != nil {
		return nil, err
	}
	if h.Version, err = checkVersion(el); err != nil {
		return nil, err
	}
	if h.IssueInstant, err = reqTime(el, "IssueInstant"); err != nil {
		return nil, err
	}
	h.Destination = attrValue(el, "Destination")
	h.Consent = attrValue(el, "Consent")
	h.InResponseTo = attrValue(el, "InResponseTo")
	children := el.ChildElements()
	i := 0
	if i < len(children) && is(children[i], NSAssertion, "Issuer") {
		if h.Issuer, err = parseNameID(children[i]); err != nil {
			return nil, err
		}
		i++
	}
	if i < len(children) && isSignature(children[i]) {
		i++
	}
	if i < len(children) && is(children[i], NSProtocol, "Extensions") {
		h.Extensions = children[i].ChildElements()
		i++
	}
	return children[i:], nil
}

// buildHeader creates the root element local with the shared attributes and
// the Issuer and Extensions children.
func buildHeader(local string, h header) *etree.Element {
	el := newRoot(local)
	el.CreateAttr("ID", h.ID)
	setAttr(el, "InResponseTo", h.InResponseTo)
	el.CreateAttr("Version", orVersion(h.Version))
	el.CreateAttr("IssueInstant", FormatTime(h.IssueInstant))
	setAttr(el, "Destination", h.Destination)
	setAttr(el, "Consent", h.Consent)
	addNameID(el, "Issuer", h.Issuer)
	if len(h.Extensions) > 0 {
		appendRaw(newSAMLP(el, "Extensions"), h.Extensions...)
	}
	return el
}

func orVersion(v string) string {
	if v == "" {
		return Version
	}
	return v
}
