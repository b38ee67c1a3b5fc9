package saml

import (
	"time"

	"github.com/beevik/etree"
)

// Assertion is a saml:Assertion (SAML core §2.3.3).
type Assertion struct {
	// ID is the assertion's xs:ID; required.
	ID string
	// Version is "2.0"; empty builds as "2.0".
	Version string
	// IssueInstant is when the assertion was issued; required.
	IssueInstant time.Time
	// Issuer names the asserting party; required.
	Issuer NameID
	// Subject is who the assertion is about.
	Subject *Subject
	// Conditions limit the assertion's validity.
	Conditions *Conditions
	// Advice is the raw saml:Advice, if any. Its content is not evidence
	// the asserting party vouches for in the same way; SAML core §2.6.
	Advice *etree.Element
	// AuthnStatements say how and when the subject authenticated.
	AuthnStatements []AuthnStatement
	// AttributeStatements carry the subject's attributes.
	AttributeStatements []AttributeStatement
	// Raw is the parsed element (nil when built), for signature checking.
	Raw *etree.Element
}

// Subject is a saml:Subject.
type Subject struct {
	// NameID identifies the subject; nil if EncryptedID is used instead.
	NameID *NameID
	// EncryptedID is the raw saml:EncryptedID, for saml/xmlenc to decrypt.
	EncryptedID *etree.Element
	// SubjectConfirmations say how the subject can be confirmed.
	SubjectConfirmations []SubjectConfirmation
}

// SubjectConfirmation is a saml:SubjectConfirmation.
type SubjectConfirmation struct {
	// Method is the confirmation method URI, e.g. ConfirmationMethodBearer.
	Method string
	// Data is the SubjectConfirmationData, if any.
	Data *SubjectConfirmationData
}

// SubjectConfirmationData is a saml:SubjectConfirmationData. Zero times are
// absent.
type SubjectConfirmationData struct {
	NotBefore    time.Time // the confirmation is not valid before this
	NotOnOrAfter time.Time // the confirmation expires at this instant
	Recipient    string    // the ACS URL the assertion is meant for
	InResponseTo string    // the ID of the AuthnRequest answered
	Address      string    // the client's network address
}

// Conditions is a saml:Conditions. Zero times are absent.
type Conditions struct {
	// NotBefore is the start of the validity window.
	NotBefore time.Time
	// NotOnOrAfter is the end of the validity window.
	NotOnOrAfter time.Time
	// AudienceRestrictions holds the Audience values of each
	// AudienceRestriction; the assertion is for a party named in every one.
	AudienceRestrictions [][]string
	// OneTimeUse is set if a saml:OneTimeUse condition is present.
	OneTimeUse bool
	// ProxyRestriction is the saml:ProxyRestriction, if present.
	ProxyRestriction *ProxyRestriction
	// Unknown holds every other condition (saml:Condition with an xsi:type
	// and anything unrecognised), so callers can refuse them as SAML core
	// §2.5.1 asks of conditions they do not understand.
	Unknown []*etree.Element
}

// ProxyRestriction is a saml:ProxyRestriction.
type ProxyRestriction struct {
	Count     *int     // how many more times the assertion may be proxied; nil if absent
	Audiences []string // the parties the assertion may be proxied to
}

// AuthnStatement is a saml:AuthnStatement with a class reference.
type AuthnStatement struct {
	// AuthnInstant is when the subject authenticated; required.
	AuthnInstant time.Time
	// SessionIndex names the session at the IdP; needed for logout (N14).
	SessionIndex string
	// SessionNotOnOrAfter is when the IdP's session ends; zero if absent.
	SessionNotOnOrAfter time.Time
	// AuthnContextClassRef is the class (LoA) URI, as a string.
	AuthnContextClassRef string
	// AuthenticatingAuthorities lists the authorities that took part, in
	// order; proxies append to it (spec-digest §5.5).
	AuthenticatingAuthorities []string
}

// Element builds the saml:Assertion with the saml prefix declared on it, so
// it can be signed or encrypted on its own.
func (a *Assertion) Element() *etree.Element {
	el := newSAML(nil, "Assertion")
	el.CreateAttr("xmlns:"+PrefixAssertion, NSAssertion)
	var tp typePrefixes
	tp.declare(el, collectTypes(a.AttributeStatements, &tp))
	el.CreateAttr("ID", a.ID)
	el.CreateAttr("Version", orVersion(a.Version))
	el.CreateAttr("IssueInstant", FormatTime(a.IssueInstant))
	el.AddChild(a.Issuer.element("Issuer"))
	if s := a.Subject; s != nil {
		el.AddChild(s.element())
	}
	if c := a.Conditions; c != nil {
		el.AddChild(c.element())
	}
	appendRaw(el, a.Advice)
	for i := range a.AuthnStatements {
		el.AddChild(a.AuthnStatements[i].element())
	}
	for i := range a.AttributeStatements {
		el.AddChild(a.AttributeStatements[i].element(&tp))
	}
	return el
}

func (s *Subject) element() *etree.Element {
	el := newSAML(nil, "Subject")
	addNameID(el, "NameID", s.NameID)
	appendRaw(el, s.EncryptedID)
	for _, c := range s.SubjectConfirmations {
		ce := newSAML(el, "SubjectConfirmation")
		ce.CreateAttr("Method", c.Method)
		if d := c.Data; d != nil {
			de := newSAML(ce, "SubjectConfirmationData")
			setTime(de, "NotBefore", d.NotBefore)
			setTime(de, "NotOnOrAfter", d.NotOnOrAfter)
			setAttr(de, "Recipient", d.Recipient)
			setAttr(de, "InResponseTo", d.InResponseTo)
			setAttr(de, "Address", d.Address)
		}
	}
	return el
}

func (c *Conditions) element() *etree.Element {
	el := newSAML(nil, "Conditions")
	setTime(el, "NotBefore", c.NotBefore)
	setTime(el, "NotOnOrAfter", c.NotOnOrAfter)
	for _, r := range c.AudienceRestrictions {
		re := newSAML(el, "AudienceRestriction")
		for _, aud := range r {
			newSAML(re, "Audience").SetText(aud)
		}
	}
	if c.OneTimeUse {
		newSAML(el, "OneTimeUse")
	}
	if p := c.ProxyRestriction; p != nil {
		pe := newSAML(el, "ProxyRestriction")
		setUint(pe, "Count", p.Count)
		for _, aud := range p.Audiences {
			newSAML(pe, "Audience").SetText(aud)
		}
	}
	appendRaw(el, c.Unknown...)
	return el
}

func (s *AuthnStatement) element() *etree.Element {
	el := newSAML(nil, "AuthnStatement")
	el.CreateAttr("AuthnInstant", FormatTime(s.AuthnInstant))
	setAttr(el, "SessionIndex", s.SessionIndex)
	setTime(el, "SessionNotOnOrAfter", s.SessionNotOnOrAfter)
	ctx := newSAML(el, "AuthnContext")
	if s.AuthnContextClassRef != "" {
		newSAML(ctx, "AuthnContextClassRef").SetText(s.AuthnContextClassRef)
	}
	for _, aa := range s.AuthenticatingAuthorities {
		newSAML(ctx, "AuthenticatingAuthority").SetText(aa)
	}
	return el
}

// ParseAssertionBytes parses outside XML (such as a decrypted
// EncryptedAssertion) with [ParseXML] under lim and then reads it with
// [ParseAssertion].
func ParseAssertionBytes(data []byte, lim Limits) (*Assertion, error) {
	return parseBytes(data, lim, ParseAssertion)
}

// ParseAssertion reads a saml:Assertion element: ID, Version "2.0",
// IssueInstant and Issuer are required, known children may appear at most
// as the schema allows, and no two elements of the document may share an ID.
// Signatures, times and audiences are not checked here.
func ParseAssertion(el *etree.Element) (*Assertion, error) {
	if err := CheckUniqueIDs(el); err != nil {
		return nil, err
	}
	return parseAssertion(el)
}

func parseAssertion(el *etree.Element) (*Assertion, error) {
	if !is(el, NSAssertion, "Assertion") {
		return nil, unexpected(el, "Assertion")
	}
	a := &Assertion{Raw: el}
	var err error
	if a.ID, err = reqAttr(el, "ID"); err != nil {
		return nil, err
	}
	if a.Version, err = checkVersion(el); err != nil {
		return nil, err
	}
	if a.IssueInstant, err = reqTime(el, "IssueInstant"); err != nil {
		return nil, err
	}
	children := el.ChildElements()
	if len(children) == 0 || !is(children[0], NSAssertion, "Issuer") {
		return nil, missing("Assertion", "Issuer")
	}
	iss, err := parseNameID(children[0])
	if err != nil {
		return nil, err
	}
	a.Issuer = *iss
	for _, ch := range children[1:] {
		if err := a.parseChild(ch); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *Assertion) parseChild(ch *etree.Element) error {
	var err error
	switch {
	case isSignature(ch) && a.Subject == nil && a.Conditions == nil:
	case is(ch, NSAssertion, "Subject") && a.Subject == nil:
		a.Subject, err = parseSubject(ch)
	case is(ch, NSAssertion, "Conditions") && a.Conditions == nil:
		a.Conditions, err = parseConditions(ch)
	case is(ch, NSAssertion, "Advice") && a.Advice == nil && len(a.AuthnStatements)+len(a.AttributeStatements) == 0:
		a.Advice = ch
	case is(ch, NSAssertion, "AuthnStatement"):
		var s *AuthnStatement
		if s, err = parseAuthnStatement(ch); err == nil {
			a.AuthnStatements = append(a.AuthnStatements, *s)
		}
	case is(ch, NSAssertion, "AttributeStatement"):
		var s *AttributeStatement
		if s, err = parseAttributeStatement(ch); err == nil {
			a.AttributeStatements = append(a.AttributeStatements, *s)
		}
	default:
		err = invalid("Assertion", ch.Tag, "unexpected, repeated or misplaced child")
	}
	return err
}

func parseSubject(el *etree.Element) (*Subject, error) {
	s := &Subject{}
	for i, ch := range el.ChildElements() {
		var err error
		switch {
		case i == 0 && is(ch, NSAssertion, "NameID"):
			s.NameID, err = parseNameID(ch)
		case i == 0 && is(ch, NSAssertion, "EncryptedID"):
			s.EncryptedID = ch
		case is(ch, NSAssertion, "SubjectConfirmation"):
			var c SubjectConfirmation
			c, err = parseSubjectConfirmation(ch)
			s.SubjectConfirmations = append(s.SubjectConfirmations, c)
		default:
			err = invalid("Subject", ch.Tag, "unexpected child (BaseID is not supported)")
		}
		if err != nil {
			return nil, err
		}
	}
	if s.NameID == nil && s.EncryptedID == nil && len(s.SubjectConfirmations) == 0 {
		return nil, missing("Subject", "NameID")
	}
	return s, nil
}

func parseSubjectConfirmation(el *etree.Element) (SubjectConfirmation, error) {
	m, err := reqAttr(el, "Method")
	if err != nil {
		return SubjectConfirmation{}, err
	}
	c := SubjectConfirmation{Method: m}
	for _, ch := range el.ChildElements() {
		if !is(ch, NSAssertion, "SubjectConfirmationData") || c.Data != nil {
			return c, invalid("SubjectConfirmation", ch.Tag, "unexpected child (only one SubjectConfirmationData is supported)")
		}
		d := &SubjectConfirmationData{Recipient: attrValue(ch, "Recipient"),
			InResponseTo: attrValue(ch, "InResponseTo"), Address: attrValue(ch, "Address")}
		if d.NotBefore, err = optTime(ch, "NotBefore"); err != nil {
			return c, err
		}
		if d.NotOnOrAfter, err = optTime(ch, "NotOnOrAfter"); err != nil {
			return c, err
		}
		c.Data = d
	}
	return c, nil
}

func parseConditions(el *etree.Element) (*Conditions, error) {
	c := &Conditions{}
	var err error
	if c.NotBefore, err = optTime(el, "NotBefore"); err != nil {
		return nil, err
	}
	if c.NotOnOrAfter, err = optTime(el, "NotOnOrAfter"); err != nil {
		return nil, err
	}
	for _, ch := range el.ChildElements() {
		switch {
		case is(ch, NSAssertion, "AudienceRestriction"):
			var auds []string
			if auds, err = parseAudiences(ch); err == nil && len(auds) == 0 {
				err = missing("AudienceRestriction", "Audience")
			}
			c.AudienceRestrictions = append(c.AudienceRestrictions, auds)
		case is(ch, NSAssertion, "OneTimeUse") && !c.OneTimeUse:
			c.OneTimeUse = true
		case is(ch, NSAssertion, "ProxyRestriction") && c.ProxyRestriction == nil:
			p := &ProxyRestriction{}
			if p.Count, err = optUint(ch, "Count", maxProxyCount); err == nil {
				p.Audiences, err = parseAudiences(ch)
			}
			c.ProxyRestriction = p
		default:
			c.Unknown = append(c.Unknown, ch)
		}
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

func parseAudiences(el *etree.Element) ([]string, error) {
	var auds []string
	for _, ch := range el.ChildElements() {
		if !is(ch, NSAssertion, "Audience") {
			return nil, invalid(el.Tag, ch.Tag, "unexpected child")
		}
		v, err := Text(ch)
		if err != nil {
			return nil, err
		}
		auds = append(auds, v)
	}
	return auds, nil
}

func parseAuthnStatement(el *etree.Element) (*AuthnStatement, error) {
	s := &AuthnStatement{SessionIndex: attrValue(el, "SessionIndex")}
	var err error
	if s.AuthnInstant, err = reqTime(el, "AuthnInstant"); err != nil {
		return nil, err
	}
	if s.SessionNotOnOrAfter, err = optTime(el, "SessionNotOnOrAfter"); err != nil {
		return nil, err
	}
	var ctx *etree.Element
	for _, ch := range el.ChildElements() {
		switch {
		case is(ch, NSAssertion, "SubjectLocality") && ctx == nil:
		case is(ch, NSAssertion, "AuthnContext") && ctx == nil:
			ctx = ch
		default:
			return nil, invalid("AuthnStatement", ch.Tag, "unexpected or repeated child")
		}
	}
	if ctx == nil {
		return nil, missing("AuthnStatement", "AuthnContext")
	}
	return s, s.parseContext(ctx)
}

func (s *AuthnStatement) parseContext(el *etree.Element) error {
	var sawRef bool
	for _, ch := range el.ChildElements() {
		var v string
		var err error
		switch {
		case is(ch, NSAssertion, "AuthnContextClassRef") && !sawRef:
			sawRef = true
			v, err = Text(ch)
			s.AuthnContextClassRef = v
		case is(ch, NSAssertion, "AuthenticatingAuthority"):
			v, err = Text(ch)
			s.AuthenticatingAuthorities = append(s.AuthenticatingAuthorities, v)
		case is(ch, NSAssertion, "AuthnContextDecl"), is(ch, NSAssertion, "AuthnContextDeclRef"):
		default:
			err = invalid("AuthnContext", ch.Tag, "unexpected or repeated child")
		}
		if err != nil {
			return err
		}
	}
	return nil
}
