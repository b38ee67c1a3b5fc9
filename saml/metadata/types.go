package metadata

import (
	"crypto/x509"
	"time"

	"github.com/beevik/etree"
)

// Namespaces of the metadata extensions this package understands.
const (
	// NSEIDAS is the eIDAS SAML extension namespace (NodeCountry, SPType).
	NSEIDAS = "http://eidas.europa.eu/saml-extensions"
	// NSMDAttr is the SAML V2.0 Metadata Extension for Entity Attributes.
	NSMDAttr = "urn:oasis:names:tc:SAML:metadata:attribute"
	// NSAlg is the SAML V2.0 Metadata Profile for Algorithm Support.
	NSAlg = "urn:oasis:names:tc:SAML:metadata:algsupport"
)

// Entity attribute names eIDAS nodes publish (spec-digest §2.7, §2.2, §2.6).
const (
	// EntityAttrProtocolVersion lists the eIDAS protocol versions supported.
	EntityAttrProtocolVersion = "http://eidas.europa.eu/entity-attributes/protocol-version"
	// EntityAttrApplicationIdentifier names the node software and version.
	EntityAttrApplicationIdentifier = "http://eidas.europa.eu/entity-attributes/application-identifier"
	// EntityAttrEncryptionAlgorithms lists the data encryption algorithms supported.
	EntityAttrEncryptionAlgorithms = "http://eidas.europa.eu/entity-attributes/supported-encryption-algorithms"
)

// KeyUse is the use attribute of a KeyDescriptor.
type KeyUse string

// Key uses (SAML metadata §2.4.1.1). KeyUseAny (no use attribute) means the
// key serves both signing and encryption.
const (
	// KeyUseAny: no use attribute; the key signs and encrypts.
	KeyUseAny KeyUse = ""
	// KeyUseSigning: use="signing".
	KeyUseSigning KeyUse = "signing"
	// KeyUseEncryption: use="encryption".
	KeyUseEncryption KeyUse = "encryption"
)

// OptionalBool is an xs:boolean attribute that may be absent, such as an
// endpoint's isDefault, where absent and false mean different things.
type OptionalBool uint8

// OptionalBool values.
const (
	// Unset means the attribute is absent.
	Unset OptionalBool = iota
	// False means the attribute is "false" (or "0").
	False
	// True means the attribute is "true" (or "1").
	True
)

// EntityDescriptor is one md:EntityDescriptor (SAML metadata §2.3.2).
type EntityDescriptor struct {
	// EntityID identifies the entity. Not necessarily a URL: NIAS uses
	// certificate subject DNs.
	EntityID string
	// ID is the XML ID the metadata signature refers to; may be empty.
	ID string
	// ValidUntil is when the metadata stops being valid; zero if absent.
	ValidUntil time.Time
	// CacheDuration is the advised caching period; zero if absent.
	CacheDuration time.Duration
	// Extensions holds the entity-level md:Extensions.
	Extensions Extensions
	// SP is the SAML 2.0 SPSSODescriptor, nil if the entity has none.
	SP *SPSSODescriptor
	// IDP is the SAML 2.0 IDPSSODescriptor, nil if the entity has none.
	IDP *IDPSSODescriptor
	// OtherRoles keeps role descriptors this package does not model
	// (AttributeAuthorityDescriptor, non-SAML-2.0 roles...) as raw elements.
	OtherRoles []*etree.Element
	// Organization is the md:Organization, nil if absent.
	Organization *Organization
	// ContactPersons are the md:ContactPerson elements.
	ContactPersons []ContactPerson

	// SignedBy is the configured certificate that verified the signature
	// covering this entity (its own or an enclosing EntitiesDescriptor's);
	// nil if unsigned. Set by Parse; ignored by Element.
	SignedBy *x509.Certificate
	// Raw is the parsed element, detached from its document. Set by Parse;
	// ignored by Element.
	Raw *etree.Element
}

// RoleDescriptor holds what SPSSODescriptor and IDPSSODescriptor share
// (RoleDescriptorType and SSODescriptorType, SAML metadata §2.4.1, §2.4.2).
type RoleDescriptor struct {
	// ID is the optional XML ID of the role descriptor.
	ID string
	// ValidUntil of the role; zero if absent.
	ValidUntil time.Time
	// CacheDuration of the role; zero if absent.
	CacheDuration time.Duration
	// ProtocolSupportEnumeration lists the protocol URIs; when generating,
	// empty means the SAML 2.0 protocol namespace.
	ProtocolSupportEnumeration []string
	// ErrorURL is the optional errorURL attribute.
	ErrorURL string
	// Extensions holds the role-level md:Extensions.
	Extensions Extensions
	// KeyDescriptors in document order. Several signing keys are normal
	// during key rollover.
	KeyDescriptors []KeyDescriptor
	// ArtifactResolutionServices are indexed endpoints.
	ArtifactResolutionServices []IndexedEndpoint
	// SingleLogoutServices, one or more per binding.
	SingleLogoutServices []Endpoint
	// ManageNameIDServices endpoints.
	ManageNameIDServices []Endpoint
	// NameIDFormats advertised, in order.
	NameIDFormats []string
}

// SPSSODescriptor is a service provider's role (SAML metadata §2.4.4).
type SPSSODescriptor struct {
	RoleDescriptor
	// AuthnRequestsSigned says the SP signs its authentication requests.
	AuthnRequestsSigned bool
	// WantAssertionsSigned says the SP wants assertions signed.
	WantAssertionsSigned bool
	// AssertionConsumerServices, at least one.
	AssertionConsumerServices []IndexedEndpoint
	// AttributeConsumingServices describe the attributes the SP asks for.
	AttributeConsumingServices []AttributeConsumingService
}

// IDPSSODescriptor is an identity provider's role (SAML metadata §2.4.3).
type IDPSSODescriptor struct {
	RoleDescriptor
	// WantAuthnRequestsSigned says the IdP requires signed requests.
	WantAuthnRequestsSigned bool
	// SingleSignOnServices, at least one.
	SingleSignOnServices []Endpoint
	// NameIDMappingServices endpoints.
	NameIDMappingServices []Endpoint
	// AssertionIDRequestServices endpoints.
	AssertionIDRequestServices []Endpoint
	// AttributeProfiles advertised.
	AttributeProfiles []string
	// Attributes the IdP offers (saml:Attribute children).
	Attributes []Attribute
}

// KeyDescriptor is one md:KeyDescriptor (SAML metadata §2.4.1.1).
type KeyDescriptor struct {
	// Use is signing, encryption or KeyUseAny (both).
	Use KeyUse
	// Certificates from ds:KeyInfo/ds:X509Data/ds:X509Certificate. The first
	// holds the key; any others are its chain. Never empty after Parse.
	Certificates []*x509.Certificate
	// EncryptionMethods lists the Algorithm URIs of md:EncryptionMethod.
	EncryptionMethods []string
}

// Endpoint is an md:EndpointType (SAML metadata §2.2.2).
type Endpoint struct {
	// Binding is the binding URI, e.g. saml.BindingHTTPPOST.
	Binding string
	// Location is an absolute http(s) URL.
	Location string
	// ResponseLocation is optional; when set it is an absolute http(s) URL.
	ResponseLocation string
}

// IndexedEndpoint is an md:IndexedEndpointType (SAML metadata §2.2.3).
type IndexedEndpoint struct {
	Endpoint
	// Index is the endpoint's index, unique among its siblings.
	Index int
	// IsDefault is the isDefault attribute; Unset when absent.
	IsDefault OptionalBool
}

// Localized is a string with its xml:lang.
type Localized struct {
	// Lang is the xml:lang value, e.g. "hr" or "en".
	Lang string
	// Value is the text.
	Value string
}

// Organization is an md:Organization (SAML metadata §2.3.2.1).
type Organization struct {
	// Names are the OrganizationName elements.
	Names []Localized
	// DisplayNames are the OrganizationDisplayName elements.
	DisplayNames []Localized
	// URLs are the OrganizationURL elements.
	URLs []Localized
}

// ContactPerson is an md:ContactPerson (SAML metadata §2.3.2.2).
type ContactPerson struct {
	// Type is technical, support, administrative, billing or other.
	Type string
	// Company, GivenName and SurName are optional.
	Company, GivenName, SurName string
	// EmailAddresses are mailto: URIs.
	EmailAddresses []string
	// TelephoneNumbers in any format.
	TelephoneNumbers []string
}

// Attribute is a saml:Attribute as published in metadata (an IdP's offered
// attributes, an entity attribute).
type Attribute struct {
	// Name identifies the attribute, e.g. "oib" or an eIDAS URI. Required.
	Name string
	// NameFormat, e.g. saml.AttrNameFormatURI; optional.
	NameFormat string
	// FriendlyName is optional.
	FriendlyName string
	// Values are the whole text of each saml:AttributeValue, trimmed.
	Values []string
}

// RequestedAttribute is an md:RequestedAttribute (SAML metadata §2.4.4.2).
type RequestedAttribute struct {
	Attribute
	// IsRequired is the isRequired attribute (absent means false).
	IsRequired bool
}

// AttributeConsumingService is an md:AttributeConsumingService
// (SAML metadata §2.4.4.1).
type AttributeConsumingService struct {
	// Index is unique among the SP's services (0..65535).
	Index int
	// IsDefault is the isDefault attribute; Unset when absent.
	IsDefault OptionalBool
	// ServiceNames, at least one.
	ServiceNames []Localized
	// ServiceDescriptions are optional.
	ServiceDescriptions []Localized
	// RequestedAttributes, at least one.
	RequestedAttributes []RequestedAttribute
}

// SigningMethod is an alg:SigningMethod; key sizes are zero when absent.
type SigningMethod struct {
	// Algorithm is the signature method URI.
	Algorithm string
	// MinKeySize and MaxKeySize are in bits; zero when absent.
	MinKeySize, MaxKeySize int
}

// Extensions is the content of an md:Extensions element. Elements this
// package does not model are kept in Other, unchanged.
type Extensions struct {
	// NodeCountry is eidas:NodeCountry (ISO 3166-1 alpha-2).
	NodeCountry string
	// SPType is eidas:SPType: "public" or "private".
	SPType string
	// EntityAttributes maps each mdattr:EntityAttributes attribute name to
	// its values.
	EntityAttributes map[string][]string
	// SigningMethods advertise alg:SigningMethod support.
	SigningMethods []SigningMethod
	// DigestMethods advertise alg:DigestMethod URIs.
	DigestMethods []string
	// Other keeps unknown extension elements, detached with the namespace
	// declarations they use.
	Other []*etree.Element
}

// IsZero reports whether the extensions are empty.
func (x *Extensions) IsZero() bool {
	return x.NodeCountry == "" && x.SPType == "" && len(x.EntityAttributes) == 0 &&
		len(x.SigningMethods) == 0 && len(x.DigestMethods) == 0 && len(x.Other) == 0
}
