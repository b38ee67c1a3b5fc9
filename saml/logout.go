package saml

import (
	"time"

	"github.com/beevik/etree"
)

// LogoutRequest is a samlp:LogoutRequest (SAML core §3.7.1, spec-digest
// §5.4), the message of single sign-out (N14).
type LogoutRequest struct {
	// ID is the request's xs:ID; required.
	ID string
	// Version is "2.0"; empty builds as "2.0".
	Version string
	// IssueInstant is when the request was made; required.
	IssueInstant time.Time
	// Destination is the URL the request is sent to.
	Destination string
	// Consent is a consent URI.
	Consent string
	// Issuer names the sender; the SLO profile requires it.
	Issuer *NameID
	// Extensions are the raw children of samlp:Extensions.
	Extensions []*etree.Element
	// NotOnOrAfter is when the request expires; zero if absent. A session
	// authority must set it.
	NotOnOrAfter time.Time
	// Reason is a logout reason URI such as LogoutReasonUser.
	Reason string
	// NameID is the principal to log out. Exactly one of NameID,
	// EncryptedID and BaseID is set.
	NameID *NameID
	// EncryptedID is the raw saml:EncryptedID naming the principal.
	EncryptedID *etree.Element
	// BaseID is the raw saml:BaseID naming the principal.
	BaseID *etree.Element
	// SessionIndexes name the sessions to end; none means all sessions of
	// the principal.
	SessionIndexes []string
	// Raw is the parsed element (nil when built), for signature checking.
	Raw *etree.Element
}

// Element builds the samlp:LogoutRequest with samlp and saml declared on it.
func (r *LogoutRequest) Element() *etree.Element {
	el := buildHeader("LogoutRequest", header{ID: r.ID, Version: r.Version, IssueInstant: r.IssueInstant,
		Destination: r.Destination, Consent: r.Consent, Issuer: r.Issuer, Extensions: r.Extensions})
	setTime(el, "NotOnOrAfter", r.NotOnOrAfter)
	setAttr(el, "Reason", r.Reason)
	appendRaw(el, r.BaseID)
	addNameID(el, "NameID", r.NameID)
	appendRaw(el, r.EncryptedID)
	for _, s := range r.SessionIndexes {
		newSAMLP(el, "SessionIndex").SetText(s)
	}
	return el
}

// ParseLogoutRequestBytes parses outside XML with [ParseXML] under lim and
// then reads it with [ParseLogoutRequest].
func ParseLogoutRequestBytes(data []byte, lim Limits) (*LogoutRequest, error) {
	return parseBytes(data, lim, ParseLogoutRequest)
}

// ParseLogoutRequest reads a samlp:LogoutRequest element. Besides the
// request header it requires exactly one of BaseID, NameID and EncryptedID
// and refuses duplicate IDs in the document.
func ParseLogoutRequest(el *etree.Element) (*LogoutRequest, error) {
	if !is(el, NSProtocol, "LogoutRequest") {
		return nil, unexpected(el, "LogoutRequest")
	}
	if err := CheckUniqueIDs(el); err != nil {
		return nil, err
	}
	var h header
	rest, err := parseHeader(el, &h)
	if err != nil {
		return nil, err
	}
	r := &LogoutRequest{ID: h.ID, Version: h.Version, IssueInstant: h.IssueInstant, Destination: h.Destination,
		Consent: h.Consent, Issuer: h.Issuer, Extensions: h.Extensions, Reason: attrValue(el, "Reason"), Raw: el}
	if r.NotOnOrAfter, err = optTime(el, "NotOnOrAfter"); err != nil {
		return nil, err
	}
	if len(rest) == 0 {
		return nil, missing("LogoutRequest", "NameID")
	}
	switch id := rest[0]; {
	case is(id, NSAssertion, "NameID"):
		if r.NameID, err = parseNameID(id); err != nil {
			return nil, err
		}
	case is(id, NSAssertion, "EncryptedID"):
		r.EncryptedID = id
	case is(id, NSAssertion, "BaseID"):
		r.BaseID = id
	default:
		return nil, invalid("LogoutRequest", id.Tag, "want exactly one of BaseID, NameID, EncryptedID first")
	}
	for _, ch := range rest[1:] {
		if !is(ch, NSProtocol, "SessionIndex") {
			return nil, invalid("LogoutRequest", ch.Tag, "unexpected child (only one of BaseID, NameID, EncryptedID is allowed)")
		}
		s, err := Text(ch)
		if err != nil {
			return nil, err
		}
		r.SessionIndexes = append(r.SessionIndexes, s)
	}
	return r, nil
}

// LogoutResponse is a samlp:LogoutResponse: a plain StatusResponseType. A
// session authority that could not reach every participant answers Success
// with the second-level code StatusPartialLogout (spec-digest §5.4).
type LogoutResponse struct {
	StatusResponse
}

// Partial reports whether the status carries the second-level code
// PartialLogout. Err is nil for such a response, since its top-level code
// is Success.
func (r *LogoutResponse) Partial() bool {
	return r.Status != nil && r.Status.SubCode == StatusPartialLogout
}

// Element builds the samlp:LogoutResponse with samlp and saml declared on it.
func (r *LogoutResponse) Element() *etree.Element {
	return r.build("LogoutResponse")
}

// ParseLogoutResponseBytes parses outside XML with [ParseXML] under lim and
// then reads it with [ParseLogoutResponse].
func ParseLogoutResponseBytes(data []byte, lim Limits) (*LogoutResponse, error) {
	return parseBytes(data, lim, ParseLogoutResponse)
}

// ParseLogoutResponse reads a samlp:LogoutResponse element.
func ParseLogoutResponse(el *etree.Element) (*LogoutResponse, error) {
	r := &LogoutResponse{}
	rest, err := r.StatusResponse.parse(el, "LogoutResponse")
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, invalid("LogoutResponse", rest[0].Tag, "unexpected child after Status")
	}
	return r, nil
}
