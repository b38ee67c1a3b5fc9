package metadata

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/saml"
)

// parseExtensions reads an md:Extensions element. Known eIDAS, entity
// attribute and algorithm-support elements are checked; anything else is
// kept raw in Other.
func parseExtensions(el *etree.Element, path string) (Extensions, error) {
	var x Extensions
	for _, c := range el.ChildElements() {
		var err error
		switch ns := c.NamespaceURI(); {
		case ns == NSEIDAS && c.Tag == "NodeCountry":
			x.NodeCountry, err = nodeCountry(c, path)
		case ns == NSEIDAS && c.Tag == "SPType":
			x.SPType, err = spType(c, path)
		case ns == NSMDAttr && c.Tag == "EntityAttributes":
			err = entityAttributes(&x, c, path)
		case ns == NSAlg && c.Tag == "SigningMethod":
			var sm SigningMethod
			sm, err = signingMethod(c, path)
			x.SigningMethods = append(x.SigningMethods, sm)
		case ns == NSAlg && c.Tag == "DigestMethod":
			var alg string
			alg, err = requiredAttr(c, "Algorithm")
			x.DigestMethods = append(x.DigestMethods, alg)
		default:
			x.Other = append(x.Other, detach(c))
		}
		if err != nil {
			return Extensions{}, err
		}
	}
	return x, nil
}

func nodeCountry(el *etree.Element, path string) (string, error) {
	t, err := text(el)
	if err != nil {
		return "", err
	}
	if len(t) != 2 || t[0] < 'A' || t[0] > 'Z' || t[1] < 'A' || t[1] > 'Z' {
		return "", malformed("%s/NodeCountry: %q is not an ISO 3166-1 alpha-2 code", path, t)
	}
	return t, nil
}

func spType(el *etree.Element, path string) (string, error) {
	t, err := text(el)
	if err != nil {
		return "", err
	}
	if t != "public" && t != "private" {
		return "", malformed("%s/SPType: %q is not public or private", path, t)
	}
	return t, nil
}

func entityAttributes(x *Extensions, el *etree.Element, path string) error {
	for i, c := range el.ChildElements() {
		if !is(c, saml.NSAssertion, "Attribute") {
			continue // saml:Assertion carrying attributes is allowed and ignored
		}
		a, err := parseAttribute(c, fmt.Sprintf("%s/EntityAttributes/Attribute[%d]", path, i))
		if err != nil {
			return err
		}
		if x.EntityAttributes == nil {
			x.EntityAttributes = map[string][]string{}
		}
		x.EntityAttributes[a.Name] = append(x.EntityAttributes[a.Name], a.Values...)
	}
	return nil
}

func signingMethod(el *etree.Element, path string) (SigningMethod, error) {
	var sm SigningMethod
	var err error
	if sm.Algorithm, err = requiredAttr(el, "Algorithm"); err != nil {
		return sm, err
	}
	for _, k := range []struct {
		name string
		dst  *int
	}{{"MinKeySize", &sm.MinKeySize}, {"MaxKeySize", &sm.MaxKeySize}} {
		v, ok, err := attr(el, k.name)
		if err != nil {
			return sm, err
		}
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 31)
		if err != nil {
			return sm, malformed("%s/SigningMethod/@%s: %q is not a positive integer", path, k.name, v)
		}
		*k.dst = int(n)
	}
	return sm, nil
}

// parseAttribute reads a saml:Attribute with text values.
func parseAttribute(el *etree.Element, path string) (Attribute, error) {
	var a Attribute
	var err error
	if a.Name, err = requiredAttr(el, "Name"); err != nil {
		return a, err
	}
	if a.NameFormat, _, err = attr(el, "NameFormat"); err != nil {
		return a, err
	}
	if a.FriendlyName, _, err = attr(el, "FriendlyName"); err != nil {
		return a, err
	}
	for _, c := range el.ChildElements() {
		if c.Tag != "AttributeValue" {
			continue
		}
		if ns := c.NamespaceURI(); ns != saml.NSAssertion && ns != NSEIDAS {
			continue
		}
		v, err := text(c)
		if err != nil {
			return a, malformed("%s: %v", path, err)
		}
		a.Values = append(a.Values, v)
	}
	return a, nil
}

func parseAttributeConsumingService(el *etree.Element, path string) (AttributeConsumingService, error) {
	var s AttributeConsumingService
	var err error
	if s.Index, err = indexAttr(el, path); err != nil {
		return s, err
	}
	if s.IsDefault, err = optionalBoolAttr(el, "isDefault"); err != nil {
		return s, err
	}
	for i, c := range el.ChildElements() {
		if c.NamespaceURI() != saml.NSMetadata {
			continue
		}
		switch c.Tag {
		case "ServiceName", "ServiceDescription":
			t, err := text(c)
			if err != nil {
				return s, err
			}
			l := Localized{Lang: xmlLang(c), Value: t}
			if c.Tag == "ServiceName" {
				s.ServiceNames = append(s.ServiceNames, l)
			} else {
				s.ServiceDescriptions = append(s.ServiceDescriptions, l)
			}
		case "RequestedAttribute":
			var ra RequestedAttribute
			if ra.Attribute, err = parseAttribute(c, fmt.Sprintf("%s/RequestedAttribute[%d]", path, i)); err != nil {
				return s, err
			}
			if ra.IsRequired, err = boolAttr(c, "isRequired"); err != nil {
				return s, err
			}
			s.RequestedAttributes = append(s.RequestedAttributes, ra)
		}
	}
	if len(s.ServiceNames) == 0 || len(s.RequestedAttributes) == 0 {
		return s, malformed("%s: needs a ServiceName and a RequestedAttribute", path)
	}
	return s, nil
}
