package loa

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// Namespaces used by the extension elements.
const (
	// SAMLAssertionNamespace is the SAML 2.0 assertion namespace (saml:).
	SAMLAssertionNamespace = "urn:oasis:names:tc:SAML:2.0:assertion"
	// XSINamespace is the XML Schema instance namespace (xsi:type).
	XSINamespace = "http://www.w3.org/2001/XMLSchema-instance"
	// STORKAssertionNamespace is the STORK 1.0 assertion namespace
	// (spec-digest §3.1).
	STORKAssertionNamespace = "urn:eu:stork:names:tc:STORK:1.0:assertion"
	// NIASExtensionNamespace is the namespace of NiasConditionType
	// (spec-digest §4.3).
	NIASExtensionNamespace = "http://nias.eid.com.hr/2012/07/saml20Extension"
)

// xmlNamespace is bound to the "xml" prefix without a declaration.
const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// maxExtensionText bounds the character data of an extension element.
const maxExtensionText = 64

func extErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidExtension}, args...)...)
}

// resolvePrefix returns the namespace bound to prefix ("" for the default
// namespace) in scope at el, and whether one is.
func resolvePrefix(el *etree.Element, prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNamespace, true
	}
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if (prefix == "" && a.Space == "" && a.Key == "xmlns") ||
				(prefix != "" && a.Space == "xmlns" && a.Key == prefix) {
				return a.Value, a.Value != "" || prefix == ""
			}
		}
	}
	return "", prefix == ""
}

// isElement reports whether el is the element {ns}local, resolving its
// prefix by namespace declarations in scope.
func isElement(el *etree.Element, ns, local string) bool {
	if el == nil || el.Tag != local {
		return false
	}
	got, ok := resolvePrefix(el, el.Space)
	return ok && got == ns
}

// strictText returns the character data of el, refusing child elements and
// anything but text and comments, so that the value is read whole.
func strictText(el *etree.Element) (string, error) {
	var b strings.Builder
	for _, t := range el.Child {
		switch c := t.(type) {
		case *etree.CharData:
			if b.Len()+len(c.Data) > maxExtensionText {
				return "", extErr("<%s> text longer than %d bytes", el.Tag, maxExtensionText)
			}
			b.WriteString(c.Data)
		case *etree.Comment:
		default:
			return "", extErr("<%s> must hold only text", el.Tag)
		}
	}
	return trimXMLSpace(b.String()), nil
}

// uniqueAttr returns the value of the single attribute of el named local in
// namespace ns ("" for an unqualified attribute), failing when it is absent
// or given twice.
func uniqueAttr(el *etree.Element, ns, local string) (string, error) {
	var val string
	n := 0
	for _, a := range el.Attr {
		if a.Key != local || a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") {
			continue
		}
		got := ""
		if a.Space != "" {
			var ok bool
			if got, ok = resolvePrefix(el, a.Space); !ok {
				return "", extErr("attribute prefix %q is not declared", a.Space)
			}
		}
		if got == ns {
			val = a.Value
			n++
		}
	}
	switch n {
	case 0:
		return "", extErr("<%s> lacks attribute %s", el.Tag, local)
	case 1:
		return val, nil
	default:
		return "", extErr("<%s> repeats attribute %s", el.Tag, local)
	}
}

// resolveQName resolves an xsi:type value in scope at el.
func resolveQName(el *etree.Element, v string) (ns, local string, err error) {
	v = trimXMLSpace(v)
	prefix, local, found := strings.Cut(v, ":")
	if !found {
		prefix, local = "", v
	}
	if local == "" || strings.Contains(local, ":") {
		return "", "", extErr("malformed QName %q", v)
	}
	ns, ok := resolvePrefix(el, prefix)
	if !ok {
		return "", "", extErr("QName prefix %q is not declared", prefix)
	}
	return ns, local, nil
}

// smallUint parses 1 to 2 ASCII digits without sign or leading zero.
func smallUint(s string) (int, bool) {
	if len(s) == 0 || len(s) > 2 || s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
