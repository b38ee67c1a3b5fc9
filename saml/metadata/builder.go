package metadata

import (
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/eidkit/eidkit/saml"
)

// DefaultValidFor is how long generated metadata stays valid when
// SPConfig.ValidFor or IDPConfig.ValidFor is zero. Serve freshly generated
// metadata (e.g. build it per request or at least daily) so partners never
// see it expire.
const DefaultValidFor = 48 * time.Hour

// SPConfig describes a service provider for NewSP. It is plain data; NewSP
// does not change it or keep references to its slices.
type SPConfig struct {
	// EntityID identifies the SP: a URL (eIDAS: where the metadata is
	// published) or a certificate DN (NIAS). Required.
	EntityID string
	// ID is the metadata's XML ID; empty means none (Sign generates one).
	ID string
	// ACS lists the AssertionConsumerService endpoints; at least one. They
	// get indexes 0, 1, ... in order and the first is the default.
	ACS []Endpoint
	// SLO lists the SingleLogoutService endpoints, one per binding.
	SLO []Endpoint
	// SigningCertificates each get a KeyDescriptor use="signing"; list the
	// old and the new certificate during key rollover. At least one is
	// required unless InsecureUnsignedAuthnRequests is set.
	SigningCertificates []*x509.Certificate
	// EncryptionCertificates each get a KeyDescriptor use="encryption".
	EncryptionCertificates []*x509.Certificate
	// EncryptionMethods are advertised on every encryption KeyDescriptor
	// (e.g. xmlenc AES-256-GCM and RSA-OAEP URIs); nil advertises none.
	EncryptionMethods []string
	// NameIDFormats the SP accepts, in order of preference.
	NameIDFormats []string
	// AttributeConsumingServices describe requested attributes.
	AttributeConsumingServices []AttributeConsumingService
	// Extensions are entity-level extensions (eIDAS SPType, ...).
	Extensions Extensions
	// Organization is optional.
	Organization *Organization
	// ContactPersons are optional.
	ContactPersons []ContactPerson
	// ValidFor sets validUntil = Now + ValidFor; zero means DefaultValidFor.
	ValidFor time.Duration
	// CacheDuration is advertised when positive.
	CacheDuration time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// InsecureUnsignedAuthnRequests publishes AuthnRequestsSigned="false".
	// RISK: the IdP will then accept requests anyone can forge in the SP's
	// name, including their AssertionConsumerServiceURL choice among the
	// listed ones. NIAS and eIDAS require signed requests.
	InsecureUnsignedAuthnRequests bool
	// AllowUnsignedAssertions publishes WantAssertionsSigned="false". RISK:
	// the IdP may then rely on the Response signature alone; an assertion
	// taken out of its Response is no longer protected.
	AllowUnsignedAssertions bool
}

// IDPConfig describes an identity provider (or the broker in its IdP role)
// for NewIDP. It is plain data; NewIDP does not change it.
type IDPConfig struct {
	// EntityID identifies the IdP (NIAS: a certificate DN). Required.
	EntityID string
	// ID is the metadata's XML ID; empty means none (Sign generates one).
	ID string
	// SSO lists SingleSignOnService endpoints (NIAS: HTTP-POST and
	// HTTP-Redirect); at least one.
	SSO []Endpoint
	// SLO lists SingleLogoutService endpoints (NIAS: POST, Redirect, SOAP).
	SLO []Endpoint
	// SigningCertificates each get a KeyDescriptor use="signing"; at least
	// one. List several during key rollover.
	SigningCertificates []*x509.Certificate
	// EncryptionCertificates each get a KeyDescriptor use="encryption".
	EncryptionCertificates []*x509.Certificate
	// EncryptionMethods are advertised on every encryption KeyDescriptor.
	EncryptionMethods []string
	// NameIDFormats the IdP issues (NIAS: entity and persistent).
	NameIDFormats []string
	// Attributes the IdP offers.
	Attributes []Attribute
	// Extensions are entity-level extensions (eIDAS NodeCountry, entity
	// attributes, algorithm support).
	Extensions Extensions
	// Organization is optional.
	Organization *Organization
	// ContactPersons are optional.
	ContactPersons []ContactPerson
	// ValidFor sets validUntil = Now + ValidFor; zero means DefaultValidFor.
	ValidFor time.Duration
	// CacheDuration is advertised when positive.
	CacheDuration time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// InsecureUnsignedAuthnRequests publishes WantAuthnRequestsSigned="false".
	// RISK: SPs may then send unsigned requests, which anyone can forge.
	InsecureUnsignedAuthnRequests bool
}

// Validate reports every problem with the configuration, joined; each
// wraps ErrInvalidConfig and names the field.
func (c *SPConfig) Validate() error {
	v := &validator{}
	common(v, "SPConfig", c.EntityID, c.ValidFor, c.CacheDuration, c.SLO, c.SigningCertificates, c.EncryptionCertificates)
	if len(c.ACS) == 0 {
		v.add("SPConfig.ACS", "empty")
	}
	v.endpoints("SPConfig.ACS", c.ACS)
	if len(c.SigningCertificates) == 0 && !c.InsecureUnsignedAuthnRequests {
		v.add("SPConfig.SigningCertificates", "empty (AuthnRequests must be signed)")
	}
	v.attributeServices(c.AttributeConsumingServices)
	v.extensions("SPConfig.Extensions", &c.Extensions)
	return errors.Join(v.errs...)
}

// Validate reports every problem with the configuration, joined; each
// wraps ErrInvalidConfig and names the field.
func (c *IDPConfig) Validate() error {
	v := &validator{}
	common(v, "IDPConfig", c.EntityID, c.ValidFor, c.CacheDuration, c.SLO, c.SigningCertificates, c.EncryptionCertificates)
	if len(c.SSO) == 0 {
		v.add("IDPConfig.SSO", "empty")
	}
	v.endpoints("IDPConfig.SSO", c.SSO)
	if len(c.SigningCertificates) == 0 {
		v.add("IDPConfig.SigningCertificates", "empty")
	}
	for i, a := range c.Attributes {
		if a.Name == "" {
			v.add(fmt.Sprintf("IDPConfig.Attributes[%d].Name", i), "empty")
		}
	}
	v.extensions("IDPConfig.Extensions", &c.Extensions)
	return errors.Join(v.errs...)
}

func common(v *validator, name, entityID string, validFor, cache time.Duration, slo []Endpoint, sign, enc []*x509.Certificate) {
	switch {
	case strings.TrimSpace(entityID) == "":
		v.add(name+".EntityID", "empty")
	case len(entityID) > MaxEntityIDLength:
		v.add(name+".EntityID", fmt.Sprintf("longer than %d", MaxEntityIDLength))
	}
	if validFor < 0 {
		v.add(name+".ValidFor", "negative")
	}
	if cache < 0 {
		v.add(name+".CacheDuration", "negative")
	}
	v.endpoints(name+".SLO", slo)
	for i, c := range sign {
		if c == nil || len(c.Raw) == 0 {
			v.add(fmt.Sprintf("%s.SigningCertificates[%d]", name, i), "nil")
		}
	}
	for i, c := range enc {
		if c == nil || len(c.Raw) == 0 {
			v.add(fmt.Sprintf("%s.EncryptionCertificates[%d]", name, i), "nil")
		}
	}
}

// NewSP builds SP metadata from cfg: protocolSupportEnumeration SAML 2.0,
// AuthnRequestsSigned and WantAssertionsSigned true unless loosened, one
// KeyDescriptor per certificate, validUntil = Now + ValidFor.
func NewSP(cfg SPConfig) (*EntityDescriptor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sp := &SPSSODescriptor{
		RoleDescriptor:             roleFor(cfg.SLO, cfg.SigningCertificates, cfg.EncryptionCertificates, cfg.EncryptionMethods, cfg.NameIDFormats),
		AuthnRequestsSigned:        !cfg.InsecureUnsignedAuthnRequests,
		WantAssertionsSigned:       !cfg.AllowUnsignedAssertions,
		AttributeConsumingServices: cloneACS(cfg.AttributeConsumingServices),
	}
	for i, ep := range cfg.ACS {
		ie := IndexedEndpoint{Endpoint: ep, Index: i}
		if i == 0 {
			ie.IsDefault = True
		}
		sp.AssertionConsumerServices = append(sp.AssertionConsumerServices, ie)
	}
	ed := entity(cfg.EntityID, cfg.ID, cfg.Now, cfg.ValidFor, cfg.CacheDuration, cfg.Extensions, cfg.Organization, cfg.ContactPersons)
	ed.SP = sp
	return ed, nil
}

// NewIDP builds IdP metadata from cfg: protocolSupportEnumeration SAML 2.0,
// WantAuthnRequestsSigned true unless loosened, one KeyDescriptor per
// certificate, validUntil = Now + ValidFor.
func NewIDP(cfg IDPConfig) (*EntityDescriptor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	idp := &IDPSSODescriptor{
		RoleDescriptor:          roleFor(cfg.SLO, cfg.SigningCertificates, cfg.EncryptionCertificates, cfg.EncryptionMethods, cfg.NameIDFormats),
		WantAuthnRequestsSigned: !cfg.InsecureUnsignedAuthnRequests,
		SingleSignOnServices:    slices.Clone(cfg.SSO),
	}
	for _, a := range cfg.Attributes {
		a.Values = slices.Clone(a.Values)
		idp.Attributes = append(idp.Attributes, a)
	}
	ed := entity(cfg.EntityID, cfg.ID, cfg.Now, cfg.ValidFor, cfg.CacheDuration, cfg.Extensions, cfg.Organization, cfg.ContactPersons)
	ed.IDP = idp
	return ed, nil
}

func roleFor(slo []Endpoint, sign, enc []*x509.Certificate, methods, formats []string) RoleDescriptor {
	rd := RoleDescriptor{
		ProtocolSupportEnumeration: []string{saml.NSProtocol},
		SingleLogoutServices:       slices.Clone(slo),
		NameIDFormats:              slices.Clone(formats),
	}
	for _, c := range sign {
		rd.KeyDescriptors = append(rd.KeyDescriptors, KeyDescriptor{Use: KeyUseSigning, Certificates: []*x509.Certificate{c}})
	}
	for _, c := range enc {
		rd.KeyDescriptors = append(rd.KeyDescriptors, KeyDescriptor{Use: KeyUseEncryption,
			Certificates: []*x509.Certificate{c}, EncryptionMethods: slices.Clone(methods)})
	}
	return rd
}

func entity(id, xmlID string, now func() time.Time, validFor, cache time.Duration, x Extensions,
	org *Organization, contacts []ContactPerson) *EntityDescriptor {
	if now == nil {
		now = time.Now
	}
	if validFor == 0 {
		validFor = DefaultValidFor
	}
	ed := &EntityDescriptor{
		EntityID:       id,
		ID:             xmlID,
		ValidUntil:     now().Add(validFor).UTC().Truncate(time.Second),
		CacheDuration:  cache,
		Extensions:     cloneExtensions(x),
		ContactPersons: slices.Clone(contacts),
	}
	if org != nil {
		o := Organization{Names: slices.Clone(org.Names), DisplayNames: slices.Clone(org.DisplayNames), URLs: slices.Clone(org.URLs)}
		ed.Organization = &o
	}
	return ed
}

func cloneExtensions(x Extensions) Extensions {
	out := x
	out.SigningMethods = slices.Clone(x.SigningMethods)
	out.DigestMethods = slices.Clone(x.DigestMethods)
	out.Other = nil
	for _, o := range x.Other {
		out.Other = append(out.Other, o.Copy())
	}
	if x.EntityAttributes != nil {
		out.EntityAttributes = make(map[string][]string, len(x.EntityAttributes))
		for k, v := range x.EntityAttributes {
			out.EntityAttributes[k] = slices.Clone(v)
		}
	}
	return out
}

func cloneACS(in []AttributeConsumingService) []AttributeConsumingService {
	out := slices.Clone(in)
	for i := range out {
		out[i].ServiceNames = slices.Clone(in[i].ServiceNames)
		out[i].ServiceDescriptions = slices.Clone(in[i].ServiceDescriptions)
		out[i].RequestedAttributes = slices.Clone(in[i].RequestedAttributes)
	}
	return out
}
