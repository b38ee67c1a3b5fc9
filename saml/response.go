package saml

import (
	"time"

	"github.com/beevik/etree"
)

// StatusResponse holds the fields of every SAML response
// (StatusResponseType, SAML core §3.2.2). [Response] and [LogoutResponse]
// embed it.
type StatusResponse struct {
	// ID is the response's xs:ID; required.
	ID string
	// InResponseTo is the ID of the request answered; empty if unsolicited.
	InResponseTo string
	// Version is "2.0"; empty builds as "2.0".
	Version string
	// IssueInstant is when the response was made; required.
	IssueInstant time.Time
	// Destination is the URL the response is sent to.
	Destination string
	// Consent is a consent URI such as ConsentObtained.
	Consent string
	// Issuer names the responder.
	Issuer *NameID
	// Extensions are the raw children of samlp:Extensions.
	Extensions []*etree.Element
	// Status is the outcome; required. Nil builds as a Responder failure,
	// never as a success.
	Status *Status
	// Raw is the parsed element (nil when built), for signature checking.
	Raw *etree.Element
}

// Err returns nil when the status is Success and the *StatusError otherwise.
func (r *StatusResponse) Err() error { return r.Status.Err() }

func (r *StatusResponse) build(local string) *etree.Element {
	el := buildHeader(local, header{ID: r.ID, InResponseTo: r.InResponseTo, Version: r.Version,
		IssueInstant: r.IssueInstant, Destination: r.Destination, Consent: r.Consent,
		Issuer: r.Issuer, Extensions: r.Extensions})
	st := r.Status
	if st == nil {
		st = &Status{Code: StatusResponder}
	}
	el.AddChild(st.Element())
	return el
}

// parse reads the shared fields of a response root named local and returns
// the children after Status.
func (r *StatusResponse) parse(el *etree.Element, local string) ([]*etree.Element, error) {
	if !is(el, NSProtocol, local) {
		return nil, unexpected(el, local)
	}
	if err := CheckUniqueIDs(el); err != nil {
		return nil, err
	}
	var h header
	rest, err := parseHeader(el, &h)
	if err != nil {
		return nil, err
	}
	*r = StatusResponse{ID: h.ID, InResponseTo: h.InResponseTo, Version: h.Version, IssueInstant: h.IssueInstant,
		Destination: h.Destination, Consent: h.Consent, Issuer: h.Issuer, Extensions: h.Extensions, Raw: el}
	if len(rest) == 0 || !is(rest[0], NSProtocol, "Status") {
		return nil, missing(local, "Status")
	}
	if r.Status, err = ParseStatus(rest[0]); err != nil {
		return nil, err
	}
	return rest[1:], nil
}

// Response is a samlp:Response (SAML core §3.3.3): the answer to an
// AuthnRequest. It may hold both plain and encrypted assertions; the counts
// are exposed and deciding how many are acceptable is the SP's policy.
type Response struct {
	StatusResponse
	// Assertions are the plain assertions, in document order.
	Assertions []*Assertion
	// EncryptedAssertions are raw saml:EncryptedAssertion elements, for
	// saml/xmlenc to decrypt.
	EncryptedAssertions []*etree.Element
}

// Element builds the samlp:Response with samlp and saml declared on it.
// Plain assertions come before encrypted ones.
func (r *Response) Element() *etree.Element {
	el := r.build("Response")
	for _, a := range r.Assertions {
		if a != nil {
			el.AddChild(a.Element())
		}
	}
	appendRaw(el, r.EncryptedAssertions...)
	return el
}

// ParseResponseBytes parses outside XML with [ParseXML] under lim and then
// reads it with [ParseResponse].
func ParseResponseBytes(data []byte, lim Limits) (*Response, error) {
	return parseBytes(data, lim, ParseResponse)
}

// ParseResponse reads a samlp:Response element and its assertions. It checks
// the structure the schema requires (ID, Version "2.0", IssueInstant,
// Status) and that no two elements of the document share an ID; it does not
// check signatures, times, audiences or the status outcome.
func ParseResponse(el *etree.Element) (*Response, error) {
	r := &Response{}
	rest, err := r.StatusResponse.parse(el, "Response")
	if err != nil {
		return nil, err
	}
	for _, ch := range rest {
		switch {
		case is(ch, NSAssertion, "Assertion"):
			a, err := parseAssertion(ch)
			if err != nil {
				return nil, err
			}
			r.Assertions = append(r.Assertions, a)
		case is(ch, NSAssertion, "EncryptedAssertion"):
			r.EncryptedAssertions = append(r.EncryptedAssertions, ch)
		default:
			return nil, invalid("Response", ch.Tag, "unexpected or misplaced child")
		}
	}
	return r, nil
}
