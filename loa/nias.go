package loa

import (
	"fmt"
	"strconv"

	"github.com/beevik/etree"
)

// NIAS request condition names (spec-digest §4.3).
const (
	// NIASConditionType is the xsi:type local name of the NIAS condition.
	NIASConditionType = "NiasConditionType"
	// NIASMinLevelAttr is the attribute carrying the minimum level.
	NIASMinLevelAttr = "MinAuthenticationSecurityLevel"
)

// IsNIASCondition reports whether el is a saml:Condition whose xsi:type is
// {NIASExtensionNamespace}NiasConditionType, both resolved by namespace.
func IsNIASCondition(el *etree.Element) bool {
	if !isElement(el, SAMLAssertionNamespace, "Condition") {
		return false
	}
	t, err := uniqueAttr(el, XSINamespace, "type")
	if err != nil {
		return false
	}
	ns, local, err := resolveQName(el, t)
	return err == nil && ns == NIASExtensionNamespace && local == NIASConditionType
}

// ParseNIASCondition reads the raw MinAuthenticationSecurityLevel of a NIAS
// condition:
//
//	<saml:Condition xmlns:q1="http://nias.eid.com.hr/2012/07/saml20Extension"
//	    xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/>
//
// The element and its xsi:type are matched by namespace, not prefix; the
// attribute must appear once, unqualified (a namespaced attribute of the same
// local name is refused as ambiguous), and be an integer 1 to MaxNIASValue
// without sign or leading zeros. Use [Registry.ParseNIASCondition] to get a [Level].
func ParseNIASCondition(el *etree.Element) (int, error) {
	if el == nil {
		return 0, extErr("no element")
	}
	if !isElement(el, SAMLAssertionNamespace, "Condition") {
		return 0, extErr("<%s> is not {%s}Condition", el.FullTag(), SAMLAssertionNamespace)
	}
	t, err := uniqueAttr(el, XSINamespace, "type")
	if err != nil {
		return 0, err
	}
	ns, local, err := resolveQName(el, t)
	if err != nil {
		return 0, err
	}
	if ns != NIASExtensionNamespace || local != NIASConditionType {
		return 0, extErr("xsi:type {%s}%s is not NiasConditionType", ns, local)
	}
	if len(el.ChildElements()) != 0 {
		return 0, extErr("NIAS condition must be empty")
	}
	v, err := uniqueAttr(el, "", NIASMinLevelAttr)
	if err != nil {
		return 0, err
	}
	for _, a := range el.Attr {
		if a.Key == NIASMinLevelAttr && a.Space != "" {
			return 0, extErr("%s also given as %s", NIASMinLevelAttr, a.FullKey())
		}
	}
	n, ok := smallUint(trimXMLSpace(v))
	if !ok || n > MaxNIASValue {
		return 0, extErr("%s %q, want 1..%d", NIASMinLevelAttr, v, MaxNIASValue)
	}
	return n, nil
}

// NewNIASCondition returns the NIAS condition element for value n (1 to
// MaxNIASValue), declaring its saml, xsi and q1 prefixes on itself so that it
// can be placed in any saml:Conditions. Use [Registry.NIASCondition] to
// start from a [Level].
func NewNIASCondition(n int) (*etree.Element, error) {
	if n < 1 || n > MaxNIASValue {
		return nil, extErr("%s %d, want 1..%d", NIASMinLevelAttr, n, MaxNIASValue)
	}
	el := etree.NewElement("saml:Condition")
	el.CreateAttr("xmlns:saml", SAMLAssertionNamespace)
	el.CreateAttr("xmlns:xsi", XSINamespace)
	el.CreateAttr("xmlns:q1", NIASExtensionNamespace)
	el.CreateAttr("xsi:type", "q1:"+NIASConditionType)
	el.CreateAttr(NIASMinLevelAttr, strconv.Itoa(n))
	return el, nil
}

// ParseNIASCondition reads a NIAS condition (see the package function
// [ParseNIASCondition]) and maps its value to a level through the
// configured NIAS table; an unmapped value fails with [ErrUnknownNIASLevel].
func (r *Registry) ParseNIASCondition(el *etree.Element) (Level, error) {
	n, err := ParseNIASCondition(el)
	if err != nil {
		return Level{}, err
	}
	for _, e := range r.nias {
		if e.value == n {
			return e.level, nil
		}
	}
	return Level{}, extErrUnknown(n)
}

// FindNIASCondition looks for the NIAS condition among the children of a
// saml:Conditions element, ignoring other conditions. A saml:Condition that
// carries a MinAuthenticationSecurityLevel attribute counts as a NIAS
// condition even if its xsi:type is broken, so that a malformed one fails
// instead of being skipped. It returns false when there is none and fails
// when there is more than one or it is malformed.
func (r *Registry) FindNIASCondition(conditions *etree.Element) (Level, bool, error) {
	if conditions == nil {
		return Level{}, false, nil
	}
	var found *etree.Element
	for _, c := range conditions.ChildElements() {
		if IsNIASCondition(c) || looksNIAS(c) {
			if found != nil {
				return Level{}, false, extErr("more than one NIAS condition")
			}
			found = c
		}
	}
	if found == nil {
		return Level{}, false, nil
	}
	l, err := r.ParseNIASCondition(found)
	return l, err == nil, err
}

// NIASValue returns the smallest configured NIAS value whose level is at
// least l, i.e. the value to send to demand l. It fails with
// [ErrUnknownNIASLevel] when no configured value is strong enough.
func (r *Registry) NIASValue(l Level) (int, error) {
	if !l.Valid() {
		return 0, ErrInvalidLevel
	}
	for _, e := range r.nias {
		if r.mapping.AtLeast(e.level, l) {
			return e.value, nil
		}
	}
	return 0, fmt.Errorf("%w: none reaches %s", ErrUnknownNIASLevel, l)
}

// NIASCondition returns the NIAS condition element demanding at least l (see
// [Registry.NIASValue]).
func (r *Registry) NIASCondition(l Level) (*etree.Element, error) {
	n, err := r.NIASValue(l)
	if err != nil {
		return nil, err
	}
	return NewNIASCondition(n)
}

// looksNIAS reports a saml:Condition with a MinAuthenticationSecurityLevel
// attribute in any namespace.
func looksNIAS(el *etree.Element) bool {
	if !isElement(el, SAMLAssertionNamespace, "Condition") {
		return false
	}
	for _, a := range el.Attr {
		if a.Key == NIASMinLevelAttr {
			return true
		}
	}
	return false
}

func extErrUnknown(n int) error {
	return fmt.Errorf("%w: %d", ErrUnknownNIASLevel, n)
}
