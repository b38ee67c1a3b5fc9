package saml

import (
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// is reports whether el is the element {ns}local, judged by namespace URI.
func is(el *etree.Element, ns, local string) bool {
	return el != nil && el.Tag == local && el.NamespaceURI() == ns
}

// attr returns the value of the unqualified attribute name.
func attr(el *etree.Element, name string) (string, bool) {
	for i := range el.Attr {
		if a := &el.Attr[i]; a.Space == "" && a.Key == name {
			return a.Value, true
		}
	}
	return "", false
}

// attrValue returns the value of the unqualified attribute name, or "".
func attrValue(el *etree.Element, name string) string {
	v, _ := attr(el, name)
	return v
}

// reqAttr returns a required, non-empty unqualified attribute.
func reqAttr(el *etree.Element, name string) (string, error) {
	v, ok := attr(el, name)
	if !ok || v == "" {
		return "", missing(el.Tag, name)
	}
	return v, nil
}

// optTime parses an optional xs:dateTime attribute; absent gives zero time.
func optTime(el *etree.Element, name string) (time.Time, error) {
	v, ok := attr(el, name)
	if !ok {
		return time.Time{}, nil
	}
	t, err := ParseTime(v)
	if err != nil {
		return time.Time{}, &FieldError{Element: el.Tag, Field: name, Reason: "not an xs:dateTime: " + strconv.Quote(v), Err: ErrBadTime}
	}
	return t, nil
}

// reqTime parses a required xs:dateTime attribute.
func reqTime(el *etree.Element, name string) (time.Time, error) {
	if _, ok := attr(el, name); !ok {
		return time.Time{}, missing(el.Tag, name)
	}
	return optTime(el, name)
}

// optBool parses an optional xs:boolean attribute.
func optBool(el *etree.Element, name string) (bool, error) {
	v, ok := attr(el, name)
	if !ok {
		return false, nil
	}
	switch strings.TrimSpace(v) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, invalid(el.Tag, name, "not an xs:boolean: "+strconv.Quote(v))
}

// optUint parses an optional non-negative integer attribute no larger than
// maxValue; absent gives nil.
func optUint(el *etree.Element, name string, maxValue int) (*int, error) {
	v, ok := attr(el, name)
	if !ok {
		return nil, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > maxValue {
		return nil, invalid(el.Tag, name, "not an integer in 0.."+strconv.Itoa(maxValue)+": "+strconv.Quote(v))
	}
	return &n, nil
}

// checkVersion enforces Version="2.0" on a message or assertion.
func checkVersion(el *etree.Element) (string, error) {
	v, ok := attr(el, "Version")
	if !ok {
		return "", missing(el.Tag, "Version")
	}
	if v != Version {
		return v, &FieldError{Element: el.Tag, Field: "Version", Reason: "must be 2.0, got " + strconv.Quote(v), Err: ErrVersion}
	}
	return v, nil
}

// setAttr adds an attribute when the value is not empty.
func setAttr(el *etree.Element, name, value string) {
	if value != "" {
		el.CreateAttr(name, value)
	}
}

// setTime adds an xs:dateTime attribute when t is not zero.
func setTime(el *etree.Element, name string, t time.Time) {
	if !t.IsZero() {
		el.CreateAttr(name, FormatTime(t))
	}
}

// setBool adds a boolean attribute when it is true.
func setBool(el *etree.Element, name string, v bool) {
	if v {
		el.CreateAttr(name, "true")
	}
}

// setUint adds an integer attribute when p is not nil.
func setUint(el *etree.Element, name string, p *int) {
	if p != nil {
		el.CreateAttr(name, strconv.Itoa(*p))
	}
}

// newSAML creates an element in the assertion namespace (prefix saml).
func newSAML(parent *etree.Element, local string) *etree.Element {
	return newPrefixed(parent, PrefixAssertion, local)
}

// newSAMLP creates an element in the protocol namespace (prefix samlp).
func newSAMLP(parent *etree.Element, local string) *etree.Element {
	return newPrefixed(parent, PrefixProtocol, local)
}

func newPrefixed(parent *etree.Element, prefix, local string) *etree.Element {
	el := etree.NewElement(local)
	el.Space = prefix
	if parent != nil {
		parent.AddChild(el)
	}
	return el
}

// newRoot creates a message root in the protocol namespace declaring both
// the samlp and saml prefixes.
func newRoot(local string) *etree.Element {
	el := newSAMLP(nil, local)
	el.CreateAttr("xmlns:"+PrefixProtocol, NSProtocol)
	el.CreateAttr("xmlns:"+PrefixAssertion, NSAssertion)
	return el
}

// appendRaw adds a deep copy of each raw element to parent, so building a
// message never moves elements out of a parsed one.
func appendRaw(parent *etree.Element, raws ...*etree.Element) {
	for _, r := range raws {
		if r != nil {
			parent.AddChild(detachedCopy(r))
		}
	}
}

// detachedCopy deep-copies el and declares on the copy each namespace prefix
// the subtree uses (in names or in QName-valued attributes such as xsi:type)
// but inherits from el's ancestors, so the copy stands alone.
func detachedCopy(el *etree.Element) *etree.Element {
	c := el.Copy()
	used := map[string]bool{}
	usedPrefixes(c, used)
	for _, a := range c.Attr {
		if p, ok := declPrefix(a); ok {
			delete(used, p)
		}
	}
	delete(used, "xml")
	for p := el.Parent(); p != nil && len(used) > 0; p = p.Parent() {
		for _, a := range p.Attr {
			if prefix, ok := declPrefix(a); ok && used[prefix] {
				delete(used, prefix)
				c.CreateAttr(a.FullKey(), a.Value)
			}
		}
	}
	return c
}

// usedPrefixes records the prefixes el's subtree uses in element and
// attribute names and in attribute values that look like QNames.
func usedPrefixes(el *etree.Element, used map[string]bool) {
	used[el.Space] = true
	for _, a := range el.Attr {
		if _, ok := declPrefix(a); ok {
			continue
		}
		if a.Space != "" {
			used[a.Space] = true
		}
		if p, _, ok := strings.Cut(a.Value, ":"); ok && p != "" && !strings.ContainsAny(a.Value, "/ ") {
			used[p] = true
		}
	}
	for _, ch := range el.ChildElements() {
		usedPrefixes(ch, used)
	}
}

// declPrefix reports whether a is a namespace declaration and for which
// prefix ("" for the default namespace).
func declPrefix(a etree.Attr) (string, bool) {
	switch {
	case a.Space == "xmlns":
		return a.Key, true
	case a.Space == "" && a.Key == "xmlns":
		return "", true
	}
	return "", false
}

// lookupNS resolves prefix in the scope of el ("" = default namespace).
func lookupNS(el *etree.Element, prefix string) (string, bool) {
	if prefix == "xml" {
		return NSXML, true
	}
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if p, ok := declPrefix(a); ok && p == prefix {
				return a.Value, true
			}
		}
	}
	return "", false
}

// attrNS returns the namespace URI of a (empty for unqualified ones).
func attrNS(el *etree.Element, a etree.Attr) string {
	if a.Space == "" {
		return ""
	}
	uri, _ := lookupNS(el, a.Space)
	return uri
}
