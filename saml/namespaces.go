package saml

// XML namespace URIs used by SAML 2.0 messages.
const (
	// NSAssertion is the SAML 2.0 assertion namespace (prefix saml).
	NSAssertion = "urn:oasis:names:tc:SAML:2.0:assertion"
	// NSProtocol is the SAML 2.0 protocol namespace (prefix samlp).
	NSProtocol = "urn:oasis:names:tc:SAML:2.0:protocol"
	// NSMetadata is the SAML 2.0 metadata namespace (prefix md).
	NSMetadata = "urn:oasis:names:tc:SAML:2.0:metadata"
	// NSDSig is the XML-Signature namespace (prefix ds).
	NSDSig = "http://www.w3.org/2000/09/xmldsig#"
	// NSXMLEnc is the XML-Encryption namespace (prefix xenc).
	NSXMLEnc = "http://www.w3.org/2001/04/xmlenc#"
	// NSSOAP11 is the SOAP 1.1 envelope namespace used by the SOAP binding.
	NSSOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
	// NSXSI is the XML Schema instance namespace (xsi:type).
	NSXSI = "http://www.w3.org/2001/XMLSchema-instance"
	// NSXS is the XML Schema namespace (xs:string and friends).
	NSXS = "http://www.w3.org/2001/XMLSchema"
	// NSXML is the namespace bound to the reserved prefix xml.
	NSXML = "http://www.w3.org/XML/1998/namespace"
	// NSXMLNS is the namespace of namespace declarations; it can never be
	// bound to a prefix.
	NSXMLNS = "http://www.w3.org/2000/xmlns/"
)

// Prefixes this package declares on the root of the messages it builds.
const (
	// PrefixAssertion is the prefix bound to [NSAssertion].
	PrefixAssertion = "saml"
	// PrefixProtocol is the prefix bound to [NSProtocol].
	PrefixProtocol = "samlp"
)

// Binding URIs (SAML bindings §3, spec-digest §5.1-5.3).
const (
	// BindingHTTPRedirect is the HTTP-Redirect (DEFLATE) binding.
	BindingHTTPRedirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
	// BindingHTTPPOST is the HTTP-POST binding.
	BindingHTTPPOST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
	// BindingSOAP is the SOAP binding used for back-channel logout.
	BindingSOAP = "urn:oasis:names:tc:SAML:2.0:bindings:SOAP"
)

// NameID format URIs (SAML core §8.3).
const (
	// NameIDFormatUnspecified leaves interpretation to the parties.
	NameIDFormatUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
	// NameIDFormatEmail is an e-mail address.
	NameIDFormatEmail = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	// NameIDFormatEntity names a SAML entity; the format of every Issuer.
	NameIDFormatEntity = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
	// NameIDFormatPersistent is a pairwise, long-lived pseudonym.
	NameIDFormatPersistent = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
	// NameIDFormatTransient is a one-time identifier.
	NameIDFormatTransient = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
	// NameIDFormatEncrypted asks for an EncryptedID (NameIDPolicy only).
	NameIDFormatEncrypted = "urn:oasis:names:tc:SAML:2.0:nameid-format:encrypted"
)

// Consent URIs (SAML core §8.4).
const (
	// ConsentUnspecified: no claim about consent is made.
	ConsentUnspecified = "urn:oasis:names:tc:SAML:2.0:consent:unspecified"
	// ConsentObtained: consent was obtained.
	ConsentObtained = "urn:oasis:names:tc:SAML:2.0:consent:obtained"
	// ConsentPrior: consent was obtained before the message was issued.
	ConsentPrior = "urn:oasis:names:tc:SAML:2.0:consent:prior"
	// ConsentImplicit: consent is implicit in the situation.
	ConsentImplicit = "urn:oasis:names:tc:SAML:2.0:consent:current-implicit"
	// ConsentExplicit: consent was obtained explicitly at this time.
	ConsentExplicit = "urn:oasis:names:tc:SAML:2.0:consent:current-explicit"
	// ConsentUnavailable: the issuer could not obtain consent.
	ConsentUnavailable = "urn:oasis:names:tc:SAML:2.0:consent:unavailable"
	// ConsentInapplicable: consent is not needed.
	ConsentInapplicable = "urn:oasis:names:tc:SAML:2.0:consent:inapplicable"
)

// LogoutRequest Reason URIs (SAML core §3.7.3, spec-digest §5.4).
const (
	// LogoutReasonUser: the user asked to log out.
	LogoutReasonUser = "urn:oasis:names:tc:SAML:2.0:logout:user"
	// LogoutReasonAdmin: an administrator ended the session.
	LogoutReasonAdmin = "urn:oasis:names:tc:SAML:2.0:logout:admin"
	// LogoutReasonGlobalTimeout: the session authority's session timed out.
	LogoutReasonGlobalTimeout = "urn:oasis:names:tc:SAML:2.0:logout:global-timeout"
	// LogoutReasonSPTimeout: a participant's session timed out.
	LogoutReasonSPTimeout = "urn:oasis:names:tc:SAML:2.0:logout:sp-timeout"
)

// Subject confirmation methods (SAML profiles §3).
const (
	// ConfirmationMethodBearer is the bearer method, the only one Web SSO uses.
	ConfirmationMethodBearer = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
	// ConfirmationMethodHolderOfKey is the holder-of-key method.
	ConfirmationMethodHolderOfKey = "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"
	// ConfirmationMethodSenderVouches is the sender-vouches method.
	ConfirmationMethodSenderVouches = "urn:oasis:names:tc:SAML:2.0:cm:sender-vouches"
)

// Attribute NameFormat URIs (SAML core §8.2).
const (
	// AttrNameFormatURI: the Name is a URI (eIDAS, spec-digest §1.2).
	AttrNameFormatURI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
	// AttrNameFormatBasic: the Name is a simple string (NIAS short names).
	AttrNameFormatBasic = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
	// AttrNameFormatUnspecified: no claim about the Name's form.
	AttrNameFormatUnspecified = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
)

// RequestedAuthnContext Comparison values (SAML core §3.3.2.2.1, spec-digest §5.5).
const (
	// ComparisonExact is the default: one of the class refs exactly.
	ComparisonExact = "exact"
	// ComparisonMinimum: at least as strong as one of the class refs.
	ComparisonMinimum = "minimum"
	// ComparisonMaximum: as strong as possible without exceeding them.
	ComparisonMaximum = "maximum"
	// ComparisonBetter: stronger than every class ref.
	ComparisonBetter = "better"
)

// Version is the only SAML version this package accepts and emits.
const Version = "2.0"
