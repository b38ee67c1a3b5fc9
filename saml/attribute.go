package saml

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// AttributeStatement is a saml:AttributeStatement.
type AttributeStatement struct {
	// Attributes are the plain attributes, in document order.
	Attributes []Attribute
	// EncryptedAttributes are raw saml:EncryptedAttribute elements, for
	// saml/xmlenc to decrypt.
	EncryptedAttributes []*etree.Element
}

// Attribute is a saml:Attribute: NIAS short names (oib, ime, ...) with the
// basic name format, or eIDAS URIs with the uri name format (spec-digest §1,
// §4.2).
type Attribute struct {
	// Name is the attribute name; required.
	Name string
	// NameFormat is the name format URI, e.g. AttrNameFormatURI.
	NameFormat string
	// FriendlyName is a human-readable name.
	FriendlyName string
	// Values are the AttributeValue elements, in order.
	Values []AttributeValue
}

// AttributeValue is one saml:AttributeValue.
type AttributeValue struct {
	// Value is the whole text content (see [Text]); empty for complex
	// content.
	Value string
	// Type is the xsi:type resolved to namespace URI (Space) and local name;
	// zero if the value is untyped.
	Type xml.Name
	// Attrs are the other attributes of the element, such as the eIDAS
	// LatinScript flag or xsi:nil, with Name.Space the namespace URI.
	// Namespace declarations are not included.
	Attrs []xml.Attr
	// Children holds the child elements of a complex value; Value is then
	// empty.
	Children []*etree.Element
}

// typePrefixes assigns the prefixes the xsi:type values of one assertion
// use; they are declared once on the Assertion element.
type typePrefixes struct {
	byNS  map[string]string
	order []string // namespaces in first-use order, for stable output
}

// add records ns and returns its prefix: xs, eidas-natural and eidas-legal
// for the well-known namespaces, t1, t2, ... for others.
func (tp *typePrefixes) add(ns string) string {
	if p, ok := tp.byNS[ns]; ok {
		return p
	}
	if tp.byNS == nil {
		tp.byNS = map[string]string{}
	}
	var p string
	switch ns {
	case NSXS:
		p = "xs"
	case "http://eidas.europa.eu/attributes/naturalperson":
		p = "eidas-natural"
	case "http://eidas.europa.eu/attributes/legalperson":
		p = "eidas-legal"
	default:
		p = "t" + strconv.Itoa(len(tp.order)+1)
	}
	tp.byNS[ns] = p
	tp.order = append(tp.order, ns)
	return p
}

// collectTypes registers the namespaces of every typed value in stmts and
// reports whether any value needs the xsi prefix.
func collectTypes(stmts []AttributeStatement, tp *typePrefixes) (needXSI bool) {
	for _, s := range stmts {
		for _, a := range s.Attributes {
			for _, v := range a.Values {
				if v.Type.Local != "" {
					needXSI = true
					if v.Type.Space != "" {
						tp.add(v.Type.Space)
					}
				}
				for _, at := range v.Attrs {
					needXSI = needXSI || at.Name.Space == NSXSI
				}
			}
		}
	}
	return needXSI
}

// declare puts the xsi and type namespace declarations on el.
func (tp *typePrefixes) declare(el *etree.Element, needXSI bool) {
	if needXSI {
		el.CreateAttr("xmlns:xsi", NSXSI)
	}
	for _, ns := range tp.order {
		el.CreateAttr("xmlns:"+tp.byNS[ns], ns)
	}
}

func (s *AttributeStatement) element(tp *typePrefixes) *etree.Element {
	el := newSAML(nil, "AttributeStatement")
	for i := range s.Attributes {
		el.AddChild(s.Attributes[i].element(tp))
	}
	appendRaw(el, s.EncryptedAttributes...)
	return el
}

func (a *Attribute) element(tp *typePrefixes) *etree.Element {
	el := newSAML(nil, "Attribute")
	el.CreateAttr("Name", a.Name)
	setAttr(el, "NameFormat", a.NameFormat)
	setAttr(el, "FriendlyName", a.FriendlyName)
	for i := range a.Values {
		el.AddChild(a.Values[i].element(tp))
	}
	return el
}

// element builds the AttributeValue; the xsi and type prefixes must be
// declared on an ancestor (see typePrefixes.declare).
func (v *AttributeValue) element(tp *typePrefixes) *etree.Element {
	el := newSAML(nil, "AttributeValue")
	if v.Type.Local != "" {
		qn := v.Type.Local
		if v.Type.Space != "" {
			qn = tp.add(v.Type.Space) + ":" + qn
		}
		el.CreateAttr("xsi:type", qn)
	}
	for i, a := range v.Attrs {
		switch a.Name.Space {
		case "":
			el.CreateAttr(a.Name.Local, a.Value)
		case NSXSI:
			el.CreateAttr("xsi:"+a.Name.Local, a.Value)
		case NSXML:
			el.CreateAttr("xml:"+a.Name.Local, a.Value)
		default:
			p := "a" + strconv.Itoa(i)
			el.CreateAttr("xmlns:"+p, a.Name.Space)
			el.CreateAttr(p+":"+a.Name.Local, a.Value)
		}
	}
	if len(v.Children) > 0 {
		appendRaw(el, v.Children...)
	} else if v.Value != "" {
		el.SetText(v.Value)
	}
	return el
}

func parseAttributeStatement(el *etree.Element) (*AttributeStatement, error) {
	s := &AttributeStatement{}
	for _, ch := range el.ChildElements() {
		switch {
		case is(ch, NSAssertion, "Attribute"):
			a, err := parseAttribute(ch)
			if err != nil {
				return nil, err
			}
			s.Attributes = append(s.Attributes, *a)
		case is(ch, NSAssertion, "EncryptedAttribute"):
			s.EncryptedAttributes = append(s.EncryptedAttributes, ch)
		default:
			return nil, invalid("AttributeStatement", ch.Tag, "unexpected child")
		}
	}
	if len(s.Attributes) == 0 && len(s.EncryptedAttributes) == 0 {
		return nil, missing("AttributeStatement", "Attribute")
	}
	return s, nil
}

func parseAttribute(el *etree.Element) (*Attribute, error) {
	name, err := reqAttr(el, "Name")
	if err != nil {
		return nil, err
	}
	a := &Attribute{Name: name, NameFormat: attrValue(el, "NameFormat"), FriendlyName: attrValue(el, "FriendlyName")}
	for _, ch := range el.ChildElements() {
		if !is(ch, NSAssertion, "AttributeValue") {
			return nil, invalid("Attribute", ch.Tag, "unexpected child")
		}
		v, err := parseAttributeValue(ch)
		if err != nil {
			return nil, err
		}
		a.Values = append(a.Values, v)
	}
	return a, nil
}

func parseAttributeValue(el *etree.Element) (AttributeValue, error) {
	var v AttributeValue
	for _, a := range el.Attr {
		if _, ok := declPrefix(a); ok {
			continue
		}
		ns := attrNS(el, a)
		if ns == NSXSI && a.Key == "type" {
			t, err := resolveQName(el, a.Value)
			if err != nil {
				return v, err
			}
			v.Type = t
			continue
		}
		v.Attrs = append(v.Attrs, xml.Attr{Name: xml.Name{Space: ns, Local: a.Key}, Value: a.Value})
	}
	if kids := el.ChildElements(); len(kids) > 0 {
		v.Children = kids
		return v, nil
	}
	s, err := Text(el)
	v.Value = s
	return v, err
}

// resolveQName resolves a QName-valued attribute (xsi:type) in el's scope.
func resolveQName(el *etree.Element, qn string) (xml.Name, error) {
	qn = strings.TrimSpace(qn)
	prefix, local, ok := strings.Cut(qn, ":")
	if !ok {
		prefix, local = "", qn
	}
	if local == "" || strings.Contains(local, ":") || (ok && prefix == "") {
		return xml.Name{}, invalid(el.Tag, "xsi:type", "not a QName: "+qn)
	}
	uri, found := lookupNS(el, prefix)
	if !found && prefix != "" {
		return xml.Name{}, invalid(el.Tag, "xsi:type", "undeclared prefix in "+qn)
	}
	return xml.Name{Space: uri, Local: local}, nil
}
