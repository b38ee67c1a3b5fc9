package saml

import (
	"time"

	"github.com/beevik/etree"
)

// AuthnRequest is a samlp:AuthnRequest (SAML core §3.4.1): an e-service (or
// the broker, towards a credential issuer or eIDAS node) asking for
// authentication at a level of assurance.
type AuthnRequest struct {
	// ID is the request's xs:ID; required. Make one with [NewID].
	ID string
	// Version is "2.0"; empty builds as "2.0".
	Version string
	// IssueInstant is when the request was made; required.
	IssueInstant time.Time
	// Destination is the URL the request is sent to.
	Destination string
	// Consent is a consent URI such as ConsentUnspecified.
	Consent string
	// Issuer names the requester; SAML Web SSO requires it.
	Issuer *NameID
	// Extensions are the raw children of samlp:Extensions, where the STORK
	// QAA level and the eIDAS SPType and RequestedAttributes live.
	Extensions []*etree.Element

	// Subject is the raw saml:Subject, if the requester names one.
	Subject *etree.Element
	// NameIDPolicy constrains the NameID in the response.
	NameIDPolicy *NameIDPolicy
	// Conditions is the raw saml:Conditions element. SAML allows it; NIAS
	// clients put NotBefore/NotOnOrAfter, OneTimeUse and a
	// NiasConditionType with MinAuthenticationSecurityLevel in it
	// (spec-digest §4.3).
	Conditions *etree.Element
	// RequestedAuthnContext lists the acceptable authentication contexts.
	RequestedAuthnContext *RequestedAuthnContext
	// Scoping limits proxying and the IdPs that may answer.
	Scoping *Scoping

	// ForceAuthn asks the IdP to authenticate the user afresh.
	ForceAuthn bool
	// IsPassive forbids the IdP from interacting with the user.
	IsPassive bool
	// ProtocolBinding is the binding the response should use.
	ProtocolBinding string
	// AssertionConsumerServiceURL is where the response goes.
	AssertionConsumerServiceURL string
	// AssertionConsumerServiceIndex selects an ACS from metadata instead of
	// the URL; nil if absent.
	AssertionConsumerServiceIndex *int
	// AttributeConsumingServiceIndex selects a set of attributes from
	// metadata; nil if absent.
	AttributeConsumingServiceIndex *int
	// ProviderName is a human-readable name of the requester.
	ProviderName string

	// Raw is the parsed element (nil when built), for signature checking.
	Raw *etree.Element
}

// NameIDPolicy is a samlp:NameIDPolicy.
type NameIDPolicy struct {
	// Format is the NameID format wanted, e.g. NameIDFormatPersistent.
	Format string
	// SPNameQualifier asks for an identifier in another SP's namespace.
	SPNameQualifier string
	// AllowCreate lets the IdP create a new identifier for the user.
	AllowCreate bool
}

// RequestedAuthnContext is a samlp:RequestedAuthnContext with class
// references. The class refs stay URI strings here; mapping them to levels
// of assurance is the loa package's job.
type RequestedAuthnContext struct {
	// Comparison is one of exact, minimum, maximum, better; empty means
	// exact (the schema default) and is not emitted.
	Comparison string
	// ClassRefs are the AuthnContextClassRef values, in order of preference.
	ClassRefs []string
}

// Scoping is a samlp:Scoping (SAML core §3.4.1.2).
type Scoping struct {
	// ProxyCount is how many more proxy steps are allowed; nil if absent.
	ProxyCount *int
	// IDPList names the IdPs the requester trusts.
	IDPList []IDPEntry
	// GetComplete is the IDPList GetComplete URI, if any.
	GetComplete string
	// RequesterIDs name the requesters on whose behalf a proxy asks.
	RequesterIDs []string
}

// IDPEntry is one samlp:IDPEntry.
type IDPEntry struct {
	ProviderID string // the IdP's entityID; required
	Name       string // human-readable name
	Loc        string // the IdP's SSO endpoint
}

// maxUnsignedShort is the largest xs:unsignedShort (ACS and attribute
// consuming service indexes).
const maxUnsignedShort = 65535

// maxProxyCount bounds ProxyCount (xs:nonNegativeInteger) to a sane range.
const maxProxyCount = 1 << 16

// Element builds the samlp:AuthnRequest with samlp and saml declared on it,
// children in schema order.
func (r *AuthnRequest) Element() *etree.Element {
	el := buildHeader("AuthnRequest", header{ID: r.ID, Version: r.Version, IssueInstant: r.IssueInstant,
		Destination: r.Destination, Consent: r.Consent, Issuer: r.Issuer, Extensions: r.Extensions})
	setBool(el, "ForceAuthn", r.ForceAuthn)
	setBool(el, "IsPassive", r.IsPassive)
	setAttr(el, "ProtocolBinding", r.ProtocolBinding)
	setAttr(el, "AssertionConsumerServiceURL", r.AssertionConsumerServiceURL)
	setUint(el, "AssertionConsumerServiceIndex", r.AssertionConsumerServiceIndex)
	setUint(el, "AttributeConsumingServiceIndex", r.AttributeConsumingServiceIndex)
	setAttr(el, "ProviderName", r.ProviderName)
	appendRaw(el, r.Subject)
	if p := r.NameIDPolicy; p != nil {
		pe := newSAMLP(el, "NameIDPolicy")
		setAttr(pe, "Format", p.Format)
		setAttr(pe, "SPNameQualifier", p.SPNameQualifier)
		setBool(pe, "AllowCreate", p.AllowCreate)
	}
	appendRaw(el, r.Conditions)
	if c := r.RequestedAuthnContext; c != nil {
		ce := newSAMLP(el, "RequestedAuthnContext")
		setAttr(ce, "Comparison", c.Comparison)
		for _, ref := range c.ClassRefs {
			newSAML(ce, "AuthnContextClassRef").SetText(ref)
		}
	}
	if s := r.Scoping; s != nil {
		el.AddChild(s.element())
	}
	return el
}

func (s *Scoping) element() *etree.Element {
	el := newSAMLP(nil, "Scoping")
	setUint(el, "ProxyCount", s.ProxyCount)
	if len(s.IDPList) > 0 || s.GetComplete != "" {
		list := newSAMLP(el, "IDPList")
		for _, e := range s.IDPList {
			ee := newSAMLP(list, "IDPEntry")
			ee.CreateAttr("ProviderID", e.ProviderID)
			setAttr(ee, "Name", e.Name)
			setAttr(ee, "Loc", e.Loc)
		}
		if s.GetComplete != "" {
			newSAMLP(list, "GetComplete").SetText(s.GetComplete)
		}
	}
	for _, id := range s.RequesterIDs {
		newSAMLP(el, "RequesterID").SetText(id)
	}
	return el
}

// ParseAuthnRequestBytes parses outside XML with [ParseXML] under lim and
// then reads it with [ParseAuthnRequest].
func ParseAuthnRequestBytes(data []byte, lim Limits) (*AuthnRequest, error) {
	return parseBytes(data, lim, ParseAuthnRequest)
}

// ParseAuthnRequest reads a samlp:AuthnRequest element. It checks the
// structure the schema requires (ID, Version "2.0", IssueInstant, known
// children at most once, valid attribute values) and that no two elements
// of the document share an ID; it does not check signatures or policy.
func ParseAuthnRequest(el *etree.Element) (*AuthnRequest, error) {
	if !is(el, NSProtocol, "AuthnRequest") {
		return nil, unexpected(el, "AuthnRequest")
	}
	if err := CheckUniqueIDs(el); err != nil {
		return nil, err
	}
	var h header
	rest, err := parseHeader(el, &h)
	if err != nil {
		return nil, err
	}
	r := &AuthnRequest{ID: h.ID, Version: h.Version, IssueInstant: h.IssueInstant, Destination: h.Destination,
		Consent: h.Consent, Issuer: h.Issuer, Extensions: h.Extensions, Raw: el}
	if err := r.parseAttrs(el); err != nil {
		return nil, err
	}
	for _, ch := range rest {
		if err := r.parseChild(ch); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *AuthnRequest) parseAttrs(el *etree.Element) error {
	var err error
	if r.ForceAuthn, err = optBool(el, "ForceAuthn"); err != nil {
		return err
	}
	if r.IsPassive, err = optBool(el, "IsPassive"); err != nil {
		return err
	}
	if r.AssertionConsumerServiceIndex, err = optUint(el, "AssertionConsumerServiceIndex", maxUnsignedShort); err != nil {
		return err
	}
	if r.AttributeConsumingServiceIndex, err = optUint(el, "AttributeConsumingServiceIndex", maxUnsignedShort); err != nil {
		return err
	}
	r.ProtocolBinding = attrValue(el, "ProtocolBinding")
	r.AssertionConsumerServiceURL = attrValue(el, "AssertionConsumerServiceURL")
	r.ProviderName = attrValue(el, "ProviderName")
	return nil
}

func (r *AuthnRequest) parseChild(ch *etree.Element) error {
	var err error
	switch {
	case is(ch, NSAssertion, "Subject") && r.Subject == nil:
		r.Subject = ch
	case is(ch, NSProtocol, "NameIDPolicy") && r.NameIDPolicy == nil:
		r.NameIDPolicy = &NameIDPolicy{Format: attrValue(ch, "Format"), SPNameQualifier: attrValue(ch, "SPNameQualifier")}
		r.NameIDPolicy.AllowCreate, err = optBool(ch, "AllowCreate")
	case is(ch, NSAssertion, "Conditions") && r.Conditions == nil:
		r.Conditions = ch
	case is(ch, NSProtocol, "RequestedAuthnContext") && r.RequestedAuthnContext == nil:
		r.RequestedAuthnContext, err = parseRequestedAuthnContext(ch)
	case is(ch, NSProtocol, "Scoping") && r.Scoping == nil:
		r.Scoping, err = parseScoping(ch)
	default:
		err = invalid("AuthnRequest", ch.Tag, "unexpected, repeated or misplaced child")
	}
	return err
}

func parseRequestedAuthnContext(el *etree.Element) (*RequestedAuthnContext, error) {
	c := &RequestedAuthnContext{Comparison: attrValue(el, "Comparison")}
	switch c.Comparison {
	case "", ComparisonExact, ComparisonMinimum, ComparisonMaximum, ComparisonBetter:
	default:
		return nil, invalid(el.Tag, "Comparison", "must be exact, minimum, maximum or better")
	}
	for _, ch := range el.ChildElements() {
		if !is(ch, NSAssertion, "AuthnContextClassRef") {
			return nil, invalid(el.Tag, ch.Tag, "only AuthnContextClassRef children are supported")
		}
		ref, err := Text(ch)
		if err != nil {
			return nil, err
		}
		c.ClassRefs = append(c.ClassRefs, ref)
	}
	if len(c.ClassRefs) == 0 {
		return nil, missing(el.Tag, "AuthnContextClassRef")
	}
	return c, nil
}

func parseScoping(el *etree.Element) (*Scoping, error) {
	var s Scoping
	var err error
	if s.ProxyCount, err = optUint(el, "ProxyCount", maxProxyCount); err != nil {
		return nil, err
	}
	for _, ch := range el.ChildElements() {
		switch {
		case is(ch, NSProtocol, "IDPList") && s.IDPList == nil:
			err = s.parseIDPList(ch)
		case is(ch, NSProtocol, "RequesterID"):
			var id string
			id, err = Text(ch)
			s.RequesterIDs = append(s.RequesterIDs, id)
		default:
			err = invalid("Scoping", ch.Tag, "unexpected child")
		}
		if err != nil {
			return nil, err
		}
	}
	return &s, nil
}

func (s *Scoping) parseIDPList(el *etree.Element) error {
	s.IDPList = []IDPEntry{}
	for _, ch := range el.ChildElements() {
		switch {
		case is(ch, NSProtocol, "IDPEntry"):
			id, err := reqAttr(ch, "ProviderID")
			if err != nil {
				return err
			}
			s.IDPList = append(s.IDPList, IDPEntry{ProviderID: id, Name: attrValue(ch, "Name"), Loc: attrValue(ch, "Loc")})
		case is(ch, NSProtocol, "GetComplete") && s.GetComplete == "":
			v, err := Text(ch)
			if err != nil {
				return err
			}
			s.GetComplete = v
		default:
			return invalid("IDPList", ch.Tag, "unexpected child")
		}
	}
	if len(s.IDPList) == 0 {
		return missing("IDPList", "IDPEntry")
	}
	return nil
}
