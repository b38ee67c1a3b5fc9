package dsig

import (
	"crypto"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/beevik/etree"
)

// Limits on the parts of a ds:Signature this package reads.
const (
	// MaxInclusivePrefixes bounds the InclusiveNamespaces PrefixList.
	MaxInclusivePrefixes = 64
	// maxBase64Chars bounds a base64 text (SignatureValue, DigestValue,
	// X509Certificate) including whitespace.
	maxBase64Chars = 64 << 10
)

// parsedSignature is what Verify needs from a ds:Signature.
type parsedSignature struct {
	sig, signedInfo *etree.Element
	c14nPrefixes    []string // SignedInfo canonicalisation PrefixList
	method          string
	alg             sigAlg
	uri             string
	refPrefixes     []string // Reference exc-c14n PrefixList
	digestHash      crypto.Hash
	digestValue     []byte
	value           []byte
	keyInfo         *etree.Element
}

// dsChildren returns el's child elements, refusing any outside the ds
// namespace.
func dsChildren(el *etree.Element, buf []*etree.Element) ([]*etree.Element, error) {
	buf = buf[:0]
	for _, tok := range el.Child {
		c, ok := tok.(*etree.Element)
		if !ok {
			continue
		}
		if c.NamespaceURI() != nsDS {
			return nil, verr(ErrBadSignature, fmt.Sprintf("unexpected element %s in ds:%s", clip(c.FullTag()), el.Tag))
		}
		buf = append(buf, c)
	}
	return buf, nil
}

// parseSignature checks the structure of sig against the strict profile
// and p: SignedInfo, SignatureValue, optional KeyInfo, nothing else.
func parseSignature(sig *etree.Element, p *Policy) (*parsedSignature, error) {
	var arr [4]*etree.Element
	kids, err := dsChildren(sig, arr[:0])
	if err != nil {
		return nil, err
	}
	if len(kids) < 2 || len(kids) > 3 || kids[0].Tag != "SignedInfo" || kids[1].Tag != "SignatureValue" ||
		(len(kids) == 3 && kids[2].Tag != "KeyInfo") {
		return nil, verr(ErrBadSignature, "ds:Signature must hold SignedInfo, SignatureValue and an optional KeyInfo")
	}
	ps := &parsedSignature{sig: sig, signedInfo: kids[0]}
	if len(kids) == 3 {
		ps.keyInfo = kids[2]
	}
	if ps.value, err = base64Text(kids[1]); err != nil {
		return nil, err
	}
	if len(ps.value) == 0 {
		return nil, verr(ErrBadSignature, "empty SignatureValue")
	}
	if err := ps.parseSignedInfo(p); err != nil {
		return nil, err
	}
	return ps, nil
}

func (ps *parsedSignature) parseSignedInfo(p *Policy) error {
	var arr [4]*etree.Element
	kids, err := dsChildren(ps.signedInfo, arr[:0])
	if err != nil {
		return err
	}
	if len(kids) < 3 || kids[0].Tag != "CanonicalizationMethod" || kids[1].Tag != "SignatureMethod" {
		return verr(ErrBadSignature, "ds:SignedInfo must hold CanonicalizationMethod, SignatureMethod and Reference")
	}
	for _, k := range kids[2:] {
		if k.Tag != "Reference" {
			return verr(ErrBadSignature, "unexpected ds:"+clip(k.Tag)+" in SignedInfo")
		}
	}
	if len(kids) != 3 {
		return verr(ErrBadReference, fmt.Sprintf("%d References, exactly one required", len(kids)-2))
	}
	if ps.c14nPrefixes, err = excC14NMethod(kids[0]); err != nil {
		return err
	}
	ps.method = kids[1].SelectAttrValue("Algorithm", "")
	if ps.alg, err = p.method(ps.method); err != nil {
		return err
	}
	if hasChildElement(kids[1]) {
		return verr(ErrUnsupportedAlgorithm, "SignatureMethod parameters (e.g. HMACOutputLength, RSAPSSParams) are not supported")
	}
	return ps.parseReference(kids[2], p)
}

func (ps *parsedSignature) parseReference(ref *etree.Element, p *Policy) error {
	uri := ref.SelectAttr("URI")
	if uri == nil {
		return verr(ErrBadReference, "Reference has no URI")
	}
	ps.uri = uri.Value
	var arr [4]*etree.Element
	kids, err := dsChildren(ref, arr[:0])
	if err != nil {
		return err
	}
	if len(kids) != 3 || kids[0].Tag != "Transforms" || kids[1].Tag != "DigestMethod" || kids[2].Tag != "DigestValue" {
		return verr(ErrBadSignature, "ds:Reference must hold Transforms, DigestMethod and DigestValue")
	}
	if ps.refPrefixes, err = parseTransforms(kids[0]); err != nil {
		return err
	}
	dm := kids[1].SelectAttrValue("Algorithm", "")
	h, ok := lookupDigest(dm)
	if !ok || !p.allowsDigest(dm) {
		return verr(ErrUnsupportedAlgorithm, fmt.Sprintf("digest method %q not allowed by policy", clip(dm)))
	}
	ps.digestHash = h
	if ps.digestValue, err = base64Text(kids[2]); err != nil {
		return err
	}
	if len(ps.digestValue) != h.Size() {
		return verr(ErrBadSignature, fmt.Sprintf("DigestValue of %d bytes, want %d", len(ps.digestValue), h.Size()))
	}
	return nil
}

// parseTransforms accepts exactly the enveloped-signature and exc-c14n
// transforms, in either order, and returns the exc-c14n PrefixList.
func parseTransforms(tr *etree.Element) ([]string, error) {
	var arr [4]*etree.Element
	kids, err := dsChildren(tr, arr[:0])
	if err != nil {
		return nil, err
	}
	var enveloped, c14n bool
	var prefixes []string
	for _, t := range kids {
		if t.Tag != "Transform" {
			return nil, verr(ErrBadSignature, "unexpected ds:"+clip(t.Tag)+" in Transforms")
		}
		switch t.SelectAttrValue("Algorithm", "") {
		case EnvelopedSignature:
			if enveloped || hasChildElement(t) {
				return nil, verr(ErrUnsupportedAlgorithm, "repeated or parameterised enveloped-signature transform")
			}
			enveloped = true
		default:
			if c14n {
				return nil, verr(ErrUnsupportedAlgorithm, "repeated canonicalisation transform")
			}
			if prefixes, err = excC14NMethod(t); err != nil {
				return nil, err
			}
			c14n = true
		}
	}
	if !enveloped || !c14n || len(kids) != 2 {
		return nil, verr(ErrUnsupportedAlgorithm, "transforms must be exactly enveloped-signature and exc-c14n")
	}
	return prefixes, nil
}

// excC14NMethod checks that m names exclusive c14n without comments and
// returns its InclusiveNamespaces PrefixList.
func excC14NMethod(m *etree.Element) ([]string, error) {
	alg := m.SelectAttrValue("Algorithm", "")
	if alg != ExcC14N {
		return nil, verr(ErrUnsupportedAlgorithm, fmt.Sprintf("canonicalisation %q (only exclusive c14n without comments)", clip(alg)))
	}
	var prefixes []string
	seen := false
	for _, tok := range m.Child {
		c, ok := tok.(*etree.Element)
		if !ok {
			continue
		}
		if seen || c.Tag != "InclusiveNamespaces" || c.NamespaceURI() != nsExcC14N {
			return nil, verr(ErrUnsupportedAlgorithm, "unexpected parameter "+clip(c.FullTag())+" of exc-c14n")
		}
		seen = true
		prefixes = strings.Fields(c.SelectAttrValue("PrefixList", ""))
		if len(prefixes) > MaxInclusivePrefixes {
			return nil, verr(ErrBadSignature, fmt.Sprintf("PrefixList of %d prefixes exceeds %d", len(prefixes), MaxInclusivePrefixes))
		}
	}
	return prefixes, nil
}

func hasChildElement(el *etree.Element) bool {
	for _, tok := range el.Child {
		if _, ok := tok.(*etree.Element); ok {
			return true
		}
	}
	return false
}

// wholeText returns all character data of a text-only element, skipping
// comments (never etree's Text, which stops at the first comment).
func wholeText(el *etree.Element) (string, error) {
	if len(el.Child) == 1 {
		if cd, ok := el.Child[0].(*etree.CharData); ok {
			return cd.Data, nil
		}
	}
	var sb strings.Builder
	for _, tok := range el.Child {
		switch t := tok.(type) {
		case *etree.CharData:
			sb.WriteString(t.Data)
		case *etree.Element:
			return "", verr(ErrBadSignature, "element inside ds:"+el.Tag)
		}
	}
	return sb.String(), nil
}

// base64Text decodes the base64 content of el, allowing XML whitespace.
func base64Text(el *etree.Element) ([]byte, error) {
	s, err := wholeText(el)
	if err != nil {
		return nil, err
	}
	if len(s) > maxBase64Chars {
		return nil, verr(ErrBadSignature, fmt.Sprintf("ds:%s longer than %d characters", el.Tag, maxBase64Chars))
	}
	if strings.ContainsAny(s, " \t\r\n") {
		s = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, s)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, verr(ErrBadSignature, "ds:"+el.Tag+" is not valid base64")
	}
	return b, nil
}
