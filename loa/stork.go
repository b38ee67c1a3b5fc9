package loa

import (
	"strconv"

	"github.com/beevik/etree"
)

// STORKQAAElement is the local name of the STORK QAA request extension.
const STORKQAAElement = "QualityAuthenticationAssuranceLevel"

// ParseSTORKQAA reads a <stork:QualityAuthenticationAssuranceLevel> element
// (spec-digest §3.1, N8). The element is matched by namespace, not prefix;
// its content must be text only, one digit 1 to 4 with optional surrounding
// whitespace. Anything else fails with [ErrInvalidExtension].
func ParseSTORKQAA(el *etree.Element) (Level, error) {
	if el == nil {
		return Level{}, extErr("no element")
	}
	if !isElement(el, STORKAssertionNamespace, STORKQAAElement) {
		return Level{}, extErr("<%s> is not {%s}%s", el.FullTag(), STORKAssertionNamespace, STORKQAAElement)
	}
	text, err := strictText(el)
	if err != nil {
		return Level{}, err
	}
	if len(text) != 1 || text[0] < '1' || text[0] > '4' {
		return Level{}, extErr("QAA level %q, want 1..4", text)
	}
	return STORK(int(text[0] - '0')), nil
}

// FindSTORKQAA looks for the STORK QAA element among the children of parent,
// typically samlp:Extensions. It returns false when there is none and fails
// when there is more than one or it is malformed.
func FindSTORKQAA(parent *etree.Element) (Level, bool, error) {
	if parent == nil {
		return Level{}, false, nil
	}
	var found *etree.Element
	for _, c := range parent.ChildElements() {
		if isElement(c, STORKAssertionNamespace, STORKQAAElement) {
			if found != nil {
				return Level{}, false, extErr("more than one %s", STORKQAAElement)
			}
			found = c
		}
	}
	if found == nil {
		return Level{}, false, nil
	}
	l, err := ParseSTORKQAA(found)
	return l, err == nil, err
}

// NewSTORKQAA returns a <stork:QualityAuthenticationAssuranceLevel> element
// for a STORK level, declaring the stork prefix on itself so that it can be
// placed in any samlp:Extensions. Convert other levels first with
// [Mapping.MinQAA]; they fail with [ErrNotExpressible].
func NewSTORKQAA(l Level) (*etree.Element, error) {
	if !l.Valid() {
		return nil, ErrInvalidLevel
	}
	if l.scheme != SchemeSTORK {
		return nil, ErrNotExpressible
	}
	el := etree.NewElement("stork:" + STORKQAAElement)
	el.CreateAttr("xmlns:stork", STORKAssertionNamespace)
	el.SetText(strconv.Itoa(int(l.value)))
	return el, nil
}
