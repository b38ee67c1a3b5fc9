// Package metadata reads and writes SAML 2.0 metadata for the service
// providers and identity providers that meet at an eidkit broker.
//
// It generates and parses entity descriptors for both roles: several signing
// certificates at once for key rollover, encryption certificates with their
// advertised algorithms, endpoints per binding, attribute consuming services
// and the eIDAS metadata extensions (NodeCountry, SPType, entity attributes,
// alg:SigningMethod and alg:DigestMethod). EntityIDs are opaque strings: NIAS
// uses X.509 subject DNs such as
// "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR", eIDAS
// uses the URL the metadata is published at. DNEntityID writes a
// certificate's subject in the NIAS form.
//
// Trust (requirement N23): metadata is the trust anchor through which the
// X.509 certificates exchanged before integration reach the rest of eidkit.
// Parse and ParseEntities therefore refuse unsigned metadata unless
// ParseOptions.AllowUnsigned is set, verify signatures only against the
// certificates configured in ParseOptions.Verifier (never against a key
// carried in the document), and honour validUntil (SAML metadata §2.2.1,
// eIDAS metadata rules in spec-digest §2.7). Test and production are
// separate environments with separate certificates: configure one Verifier
// per environment. Certificates found inside metadata are not checked for
// expiry or chained to a CA: the signed metadata itself vouches for them.
//
// Endpoint locations must be absolute http or https URLs, so that a
// "javascript:" or relative ACS URL from a partner's metadata can never be
// rendered into an auto-posting form (the CVE-2023-45683 class).
//
// Spec coverage: SAML 2.0 metadata (saml-metadata-2.0-os) §2.3 (EntityDescriptor,
// EntitiesDescriptor, Organization, ContactPerson), §2.4 (role descriptors,
// KeyDescriptor, SSO/IdP/SP descriptors, AttributeConsumingService), §2.2
// (Endpoint, IndexedEndpoint, validUntil, cacheDuration), §3 (signature
// processing); SAML metadata attribute extension (mdattr:EntityAttributes);
// SAML metadata algorithm support profile (alg:); eIDAS metadata
// (spec-digest §2.7) and NIAS IdP metadata (spec-digest §4.1).
// Requirements: N2, N3, N23.
package metadata
