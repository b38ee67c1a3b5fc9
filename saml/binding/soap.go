package binding

import (
	"errors"
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/eidkit/eidkit/internal/xmlutil"
	"github.com/eidkit/eidkit/saml"
)

// SOAP 1.1 constants of the SAML SOAP binding (SAMLBind §3.2).
const (
	// SOAPAction is the SOAPAction value SAML peers send (OpenSAML
	// HTTPSOAP11Encoder); SOAPClient sends it quoted, as SOAP 1.1 §6.1.1
	// writes it.
	SOAPAction = "http://www.oasis-open.org/committees/security"
	// SOAPContentType is the Content-Type of SOAP 1.1 requests and
	// responses.
	SOAPContentType = "text/xml; charset=utf-8"
	// soapActorNext is the SOAP 1.1 actor URI meaning "the next receiver".
	soapActorNext = "http://schemas.xmlsoap.org/soap/actor/next"
)

// SOAP 1.1 fault codes (SOAP 1.1 §4.4.1), as they appear in [Fault.Code].
const (
	// FaultVersionMismatch: the envelope was not SOAP 1.1.
	FaultVersionMismatch = "VersionMismatch"
	// FaultMustUnderstand: a mandatory header block was not understood.
	FaultMustUnderstand = "MustUnderstand"
	// FaultClient: the request was malformed; do not resend it unchanged.
	FaultClient = "Client"
	// FaultServer: the receiver failed; the request may succeed later.
	FaultServer = "Server"
)

// Fault is a SOAP 1.1 Fault (SOAP 1.1 §4.4). As an error it unwraps to
// [ErrSOAPFault]; UnwrapSOAP and SOAPClient.Call return it when the peer
// answers with one, and WriteSOAPFault writes it.
type Fault struct {
	// Code is the faultcode: the local part (with any dotted refinement,
	// e.g. "Client.Authentication") when it is in the SOAP 1.1 namespace,
	// otherwise "{namespace}local" or the text as received.
	Code string
	// String is the human-readable faultstring. It is peer-controlled
	// text: log it, do not render it as HTML.
	String string
	// Actor is the faultactor URI, "" when absent.
	Actor string
}

// Error implements error. The peer's faultstring is cut to 200 bytes.
func (f *Fault) Error() string {
	s := f.String
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Sprintf("binding: SOAP fault %s: %q", f.Code, s)
}

// Unwrap returns [ErrSOAPFault].
func (f *Fault) Unwrap() error { return ErrSOAPFault }

// WrapSOAP puts an XML message into a SOAP 1.1 envelope as the single child
// of the Body, byte for byte, so that its enveloped signature stays valid.
// A leading byte order mark and XML declaration are dropped (they may only
// start a document). xml must be one well-formed element.
func WrapSOAP(xml []byte) []byte {
	xml = xmlutil.StripDeclaration(xml)
	const (
		head = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + saml.NSSOAP11 + `"><SOAP-ENV:Body>`
		tail = `</SOAP-ENV:Body></SOAP-ENV:Envelope>`
	)
	out := make([]byte, 0, len(head)+len(xml)+len(tail))
	out = append(out, head...)
	out = append(out, xml...)
	return append(out, tail...)
}

// UnwrapSOAP parses a SOAP 1.1 envelope with saml.ParseXML under lim and
// returns the single element child of its Body, still attached to the
// parsed document so that namespace declarations on the envelope stay in
// scope for signature verification.
//
// It refuses: a root that is an Envelope of another SOAP version
// (ErrVersionMismatch); any other root, a missing or repeated Body, text or
// unexpected elements around it, more than one message in the Body
// (ErrMalformed); an empty Body (ErrMissingMessage); a header block
// addressed to this receiver with mustUnderstand="1" (ErrMustUnderstand:
// none are understood). A Body holding a Fault gives a *[Fault]. XML the
// safe parser refuses gives ErrTooLarge or ErrMalformed, also wrapping the
// saml error.
func UnwrapSOAP(data []byte, lim saml.Limits) (*etree.Element, error) {
	doc, err := saml.ParseXML(data, lim)
	if err != nil {
		if errors.Is(err, saml.ErrLimit) {
			return nil, fmt.Errorf("%w: SOAP envelope: %w", ErrTooLarge, err)
		}
		if errors.Is(err, saml.ErrInvalidLimits) {
			return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
		return nil, fmt.Errorf("%w: SOAP envelope: %w", ErrMalformed, err)
	}
	env := doc.Root()
	if env == nil {
		return nil, malformed("no root element")
	}
	if err := checkEnvelope(env); err != nil {
		return nil, err
	}
	body, err := envelopeBody(env)
	if err != nil {
		return nil, err
	}
	return bodyMessage(body)
}

// checkEnvelope checks the root's name and namespace.
func checkEnvelope(env *etree.Element) error {
	ns := env.NamespaceURI()
	switch {
	case env.Tag == "Envelope" && ns == saml.NSSOAP11:
		return nil
	case env.Tag == "Envelope":
		return fmt.Errorf("%w: Envelope in namespace %q", ErrVersionMismatch, ns)
	}
	return malformed("root element %q is not a SOAP Envelope", env.Tag)
}

// envelopeBody walks the envelope's children: an optional Header first,
// then exactly one Body, then nothing but namespace-qualified elements of
// other vocabularies (SOAP 1.1 §4.1.2 allows them; they are ignored).
func envelopeBody(env *etree.Element) (*etree.Element, error) {
	var body *etree.Element
	for i, t := range env.Child {
		switch t := t.(type) {
		case *etree.CharData:
			if strings.TrimSpace(t.Data) != "" {
				return nil, malformed("text in SOAP Envelope")
			}
		case *etree.Comment:
		case *etree.Element:
			ns := t.NamespaceURI()
			switch {
			case ns == saml.NSSOAP11 && t.Tag == "Header" && body == nil && firstElement(env, i):
				if err := checkHeader(t); err != nil {
					return nil, err
				}
			case ns == saml.NSSOAP11 && t.Tag == "Body" && body == nil:
				body = t
			case ns != "" && ns != saml.NSSOAP11 && body != nil:
			default:
				return nil, malformed("unexpected element %q in SOAP Envelope", t.FullTag())
			}
		default:
			return nil, malformed("unexpected node in SOAP Envelope")
		}
	}
	if body == nil {
		return nil, malformed("SOAP Envelope without Body")
	}
	return body, nil
}

// firstElement reports whether env.Child[i] is env's first child element.
func firstElement(env *etree.Element, i int) bool {
	for _, t := range env.Child[:i] {
		if _, ok := t.(*etree.Element); ok {
			return false
		}
	}
	return true
}

// checkHeader refuses a header block addressed to this receiver (no actor,
// or the "next" actor) that is marked mustUnderstand: this package
// understands no header blocks (SOAP 1.1 §4.2.3).
func checkHeader(h *etree.Element) error {
	for _, block := range h.ChildElements() {
		actor, mu := "", ""
		for _, a := range block.Attr {
			if a.NamespaceURI() != saml.NSSOAP11 {
				continue
			}
			switch a.Key {
			case "actor":
				actor = a.Value
			case "mustUnderstand":
				mu = strings.TrimSpace(a.Value)
			}
		}
		if (mu == "1" || mu == "true") && (actor == "" || actor == soapActorNext) {
			return fmt.Errorf("%w: %s", ErrMustUnderstand, block.FullTag())
		}
	}
	return nil
}

// bodyMessage returns the Body's single element child, or the Fault it
// carries as an error.
func bodyMessage(body *etree.Element) (*etree.Element, error) {
	var msg *etree.Element
	for _, t := range body.Child {
		switch t := t.(type) {
		case *etree.CharData:
			if strings.TrimSpace(t.Data) != "" {
				return nil, malformed("text in SOAP Body")
			}
		case *etree.Comment:
		case *etree.Element:
			if msg != nil {
				return nil, malformed("more than one element in SOAP Body")
			}
			msg = t
		default:
			return nil, malformed("unexpected node in SOAP Body")
		}
	}
	if msg == nil {
		return nil, fmt.Errorf("%w: empty SOAP Body", ErrMissingMessage)
	}
	if msg.Tag == "Fault" && msg.NamespaceURI() == saml.NSSOAP11 {
		return nil, parseFault(msg)
	}
	return msg, nil
}

// parseFault reads a SOAP 1.1 Fault element into a *Fault, or an
// ErrMalformed error when it is not one.
func parseFault(el *etree.Element) error {
	f := &Fault{}
	for _, c := range el.ChildElements() {
		if c.NamespaceURI() != "" {
			continue // SOAP 1.1 fault children are unqualified
		}
		if c.Tag == "detail" {
			continue // application-specific content, not needed here
		}
		text, err := saml.Text(c)
		if err != nil {
			return malformed("SOAP Fault %s: %v", c.Tag, err)
		}
		switch c.Tag {
		case "faultcode":
			f.Code = resolveFaultCode(c, strings.TrimSpace(text))
		case "faultstring":
			f.String = text
		case "faultactor":
			f.Actor = strings.TrimSpace(text)
		}
	}
	if f.Code == "" {
		return malformed("SOAP Fault without faultcode")
	}
	return f
}

// resolveFaultCode resolves the faultcode QName's prefix against the
// in-scope namespace declarations.
func resolveFaultCode(el *etree.Element, qname string) string {
	prefix, local, ok := strings.Cut(qname, ":")
	if !ok {
		prefix, local = "", qname
	}
	ns := xmlutil.LookupNamespace(el, prefix)
	switch {
	case ns == saml.NSSOAP11:
		return local
	case ns != "":
		return "{" + ns + "}" + local
	}
	return qname
}
