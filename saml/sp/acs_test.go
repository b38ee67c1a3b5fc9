package sp

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/stretchr/testify/require"
)

// TestValidateResponse covers every response check and the landscape.md
// attack classes that apply to the ACS (N24; spec-digest §2.3, §5.5).
func TestValidateResponse(t *testing.T) {
	e := newEnv(t)
	substantial := Outstanding{ID: e.reqID, Level: loa.Notified(loa.Substantial)}
	tests := []struct {
		name   string
		opts   respOpts
		irt    string // InResponseTo; "" means e.reqID
		mod    func(*Config)
		want   error
		out    []Outstanding
		assert func(*saml.Assertion)
		resp   func(*saml.Response)
		respEl func(r, a *etree.Element)
		data   func(*testing.T, *testEnv) []byte // replaces the built response
	}{
		{name: "ok both signed", opts: both},
		{name: "ok only response signed", opts: respOpts{signResponse: true}},
		{name: "ok only assertion signed", opts: respOpts{signAssertion: true}},
		{name: "ok encrypted assertion, response signed", opts: respOpts{signResponse: true, encrypt: true}},
		{name: "ok encrypted signed assertion", opts: respOpts{signAssertion: true, encrypt: true}},
		{name: "unsigned (stripping)", opts: respOpts{}, want: ErrUnsigned},
		{name: "response signature required", opts: respOpts{signAssertion: true}, mod: func(c *Config) { c.RequireSignedResponse = true }, want: ErrUnsigned},
		{name: "assertion signature required", opts: respOpts{signResponse: true}, mod: func(c *Config) { c.RequireSignedAssertion = true }, want: ErrUnsigned},
		{name: "encryption required", opts: both, mod: func(c *Config) { c.RequireEncryptedAssertions = true }, want: ErrEncryptionRequired},
		{name: "signed by untrusted key (KeyInfo substitution)", opts: respOpts{signResponse: true, signAssertion: true, key: testKeys()[3]}, want: ErrBadSignature},
		{name: "signed assertion tampered after signing", opts: respOpts{signAssertion: true, responseEl: func(_, a *etree.Element) {
			a.FindElement("./Subject/NameID").SetText("admin")
		}}, want: ErrBadSignature},
		{name: "empty SignatureValue", data: emptySignatureValue, want: ErrBadSignature},
		{name: "response issuer foreign", opts: both, want: ErrIssuer,
			resp: func(r *saml.Response) { r.Issuer.Value = "https://evil.example/idp" }},
		{name: "assertion issuer foreign", opts: both, want: ErrIssuer, assert: func(a *saml.Assertion) { a.Issuer.Value = "https://evil.example/idp" }},
		{name: "issuer format not entity", opts: both, want: ErrIssuer, assert: func(a *saml.Assertion) { a.Issuer.Format = saml.NameIDFormatPersistent }},
		{name: "signed response without Destination", opts: both, want: ErrDestination, resp: func(r *saml.Response) { r.Destination = "" }},
		{name: "wrong Destination", opts: both, want: ErrDestination, resp: func(r *saml.Response) { r.Destination = "https://evil.example/acs" }},
		{name: "error status", opts: both, want: ErrStatus, resp: func(r *saml.Response) {
			r.Status = &saml.Status{Code: saml.StatusResponder, SubCode: saml.StatusAuthnFailed}
		}},
		{name: "two assertions (CVE-2022-41912)", opts: both, want: ErrAssertionCount, respEl: func(r, a *etree.Element) {
			c := a.Copy()
			c.CreateAttr("ID", "_second000000000000000000000000000000000")
			r.AddChild(c)
		}},
		{name: "no assertion", opts: respOpts{signResponse: true}, want: ErrAssertionCount, respEl: func(r, a *etree.Element) { r.RemoveChild(a) }},
		{name: "wrong Recipient", opts: both, want: ErrRecipient, assert: func(a *saml.Assertion) { a.Subject.SubjectConfirmations[0].Data.Recipient = "https://other/acs" }},
		{name: "foreign InResponseTo", opts: both, irt: "_foreign", want: ErrInResponseTo},
		{name: "missing InResponseTo", opts: both, irt: "-", want: ErrUnsolicited},
		{name: "unsolicited allowed", opts: both, irt: "-", mod: func(c *Config) { c.AllowUnsolicited = true }},
		{name: "response InResponseTo disagrees with assertion", opts: both, want: ErrInResponseTo, resp: func(r *saml.Response) { r.InResponseTo = "_other" }},
		{name: "request from another browser", opts: both, out: []Outstanding{}, want: ErrInResponseTo},
		{name: "audience of another SP", opts: both, want: ErrAudience, assert: func(a *saml.Assertion) { a.Conditions.AudienceRestrictions = [][]string{{"https://other-sp"}} }},
		{name: "no AudienceRestriction", opts: both, want: ErrAudience, assert: func(a *saml.Assertion) { a.Conditions.AudienceRestrictions = nil }},
		{name: "no Conditions", opts: both, want: ErrAudience, assert: func(a *saml.Assertion) { a.Conditions = nil }},
		{name: "Conditions expired", opts: both, want: ErrExpired, assert: func(a *saml.Assertion) { a.Conditions.NotOnOrAfter = e.now.Add(-3 * time.Minute) }},
		{name: "Conditions NotBefore in the future", opts: both, want: ErrNotYetValid, assert: func(a *saml.Assertion) { a.Conditions.NotBefore = e.now.Add(3 * time.Minute) }},
		{name: "within clock skew", opts: both, assert: func(a *saml.Assertion) { a.Conditions.NotBefore = e.now.Add(time.Minute) }},
		{name: "confirmation expired", opts: both, want: ErrExpired, assert: func(a *saml.Assertion) {
			a.Subject.SubjectConfirmations[0].Data.NotOnOrAfter = e.now.Add(-3 * time.Minute)
		}},
		{name: "confirmation without NotOnOrAfter", opts: both, want: ErrConfirmation, assert: func(a *saml.Assertion) {
			a.Subject.SubjectConfirmations[0].Data.NotOnOrAfter = time.Time{}
		}},
		{name: "bearer with NotBefore", opts: both, want: ErrConfirmation, assert: func(a *saml.Assertion) {
			a.Subject.SubjectConfirmations[0].Data.NotBefore = e.now
		}},
		{name: "two bearer confirmations", opts: both, want: ErrConfirmation, assert: func(a *saml.Assertion) {
			a.Subject.SubjectConfirmations = append(a.Subject.SubjectConfirmations, a.Subject.SubjectConfirmations[0])
		}},
		{name: "no bearer confirmation", opts: both, want: ErrConfirmation, assert: func(a *saml.Assertion) {
			a.Subject.SubjectConfirmations[0].Method = saml.ConfirmationMethodHolderOfKey
		}},
		{name: "no NameID", opts: both, want: ErrSubject, assert: func(a *saml.Assertion) { a.Subject.NameID = nil }},
		{name: "response IssueInstant too old", opts: both, want: ErrExpired, resp: func(r *saml.Response) { r.IssueInstant = e.now.Add(-time.Hour) }},
		{name: "assertion IssueInstant in the future", opts: both, want: ErrNotYetValid, assert: func(a *saml.Assertion) { a.IssueInstant = e.now.Add(time.Hour) }},
		{name: "unknown condition", opts: both, want: ErrCondition, assert: func(a *saml.Assertion) {
			c, _ := loa.NewNIASCondition(1)
			a.Conditions.Unknown = []*etree.Element{c}
		}},
		{name: "no AuthnStatement", opts: both, want: ErrAuthnStatement, assert: func(a *saml.Assertion) { a.AuthnStatements = nil }},
		{name: "two AuthnStatements", opts: both, want: ErrAuthnStatement, assert: func(a *saml.Assertion) {
			a.AuthnStatements = append(a.AuthnStatements, a.AuthnStatements[0])
		}},
		{name: "no SessionIndex while IdP has SLO", opts: both, want: ErrAuthnStatement, assert: func(a *saml.Assertion) { a.AuthnStatements[0].SessionIndex = "" }},
		{name: "SessionNotOnOrAfter passed", opts: both, want: ErrExpired, assert: func(a *saml.Assertion) { a.AuthnStatements[0].SessionNotOnOrAfter = e.now.Add(-time.Second) }},
		{name: "LoA below requested", opts: both, out: []Outstanding{substantial}, want: ErrLoA, assert: func(a *saml.Assertion) {
			a.AuthnStatements[0].AuthnContextClassRef = loa.EIDASLow
		}},
		{name: "higher LoA admitted (N11)", opts: both, out: []Outstanding{substantial}, assert: func(a *saml.Assertion) {
			a.AuthnStatements[0].AuthnContextClassRef = loa.EIDASHigh
		}},
		{name: "unknown LoA", opts: both, want: ErrLoA, assert: func(a *saml.Assertion) { a.AuthnStatements[0].AuthnContextClassRef = "urn:x:unknown" }},
		{name: "missing LoA", opts: both, want: ErrLoA, assert: func(a *saml.Assertion) { a.AuthnStatements[0].AuthnContextClassRef = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := e
			if tt.mod != nil {
				env = newEnv(t, tt.mod)
			}
			o := tt.opts
			o.assertion, o.response = tt.assert, tt.resp
			if tt.respEl != nil {
				o.responseEl = tt.respEl
			}
			irt := env.reqID
			switch tt.irt {
			case "-":
				irt = ""
			case "":
			default:
				irt = tt.irt
			}
			var data []byte
			if tt.data != nil {
				data = tt.data(t, env)
			} else {
				data = env.response(irt, o)
			}
			out := tt.out
			if out == nil {
				out = []Outstanding{{ID: env.reqID, Level: loa.Notified(loa.Low)}}
			}
			id, err := env.sp.ValidateResponse(context.Background(), data, out...)
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
				require.Nil(t, id)
				var ce *CheckError
				if !errors.Is(err, ErrStatus) || errors.As(err, &ce) {
					require.True(t, errors.As(err, &ce), "want a *CheckError, got %T", err)
					require.NotEmpty(t, ce.Check)
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, "tid-12345", id.NameID)
			require.Equal(t, testIdPEntity, id.Issuer)
			require.Equal(t, "sess-1", id.SessionIndex)
			require.Equal(t, "12345678903", id.First(AttrOIB))
		})
	}
}

// emptySignatureValue signs the response and then empties its SignatureValue.
func emptySignatureValue(t *testing.T, e *testEnv) []byte {
	data := e.response(e.reqID, respOpts{signResponse: true})
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromBytes(data))
	sv := doc.FindElement("//SignatureValue")
	require.NotNil(t, sv)
	sv.SetText("")
	b, err := doc.WriteToBytes()
	require.NoError(t, err)
	return b
}

func TestValidateResponseStatusError(t *testing.T) {
	e := newEnv(t)
	data := e.response(e.reqID, respOpts{signResponse: true, response: func(r *saml.Response) {
		r.Status = &saml.Status{Code: saml.StatusResponder, SubCode: saml.StatusRequestDenied, Message: "user refused"}
	}})
	_, err := e.sp.ValidateResponse(context.Background(), data, Outstanding{ID: e.reqID, Level: loa.Notified(loa.Low)})
	require.ErrorIs(t, err, ErrStatus)
	require.ErrorIs(t, err, saml.ErrStatusRequestDenied)
	var se *saml.StatusError
	require.ErrorAs(t, err, &se)
	require.Equal(t, saml.StatusResponder, se.Top)
}

// TestValidateResponseReplay: a Response, or its signed assertion re-wrapped
// in a new Response, is accepted once (landscape.md replay).
func TestValidateResponseReplay(t *testing.T) {
	e := newEnv(t)
	out := Outstanding{ID: e.reqID, Level: loa.Notified(loa.Low)}
	data := e.response(e.reqID, respOpts{signAssertion: true})
	_, err := e.sp.ValidateResponse(context.Background(), data, out)
	require.NoError(t, err)
	_, err = e.sp.ValidateResponse(context.Background(), data, out)
	require.ErrorIs(t, err, ErrReplayed)

	// Re-wrap the same signed assertion in a fresh, unsigned Response.
	doc := etree.NewDocument()
	require.NoError(t, doc.ReadFromBytes(data))
	doc.Root().CreateAttr("ID", "_rewrapped00000000000000000000000000000000")
	b, err := doc.WriteToBytes()
	require.NoError(t, err)
	_, err = e.sp.ValidateResponse(context.Background(), b, out)
	require.ErrorIs(t, err, ErrReplayed)
}

// TestValidateResponseXSW: signature wrapping moves or copies signed content;
// the SP reads only the one assertion whose own or enclosing signature it
// verified (XSW1-8 classes).
func TestValidateResponseXSW(t *testing.T) {
	e := newEnv(t)
	out := Outstanding{ID: e.reqID, Level: loa.Notified(loa.Low)}
	signed := e.response(e.reqID, respOpts{signAssertion: true})
	evil := func(t *testing.T) *etree.Element {
		a := e.assertion(e.reqID)
		a.Subject.NameID.Value = "admin"
		return a.Element()
	}
	tests := []struct {
		name string
		mod  func(t *testing.T, root *etree.Element)
		want error
	}{
		{"signed assertion moved into evil assertion's Advice", func(t *testing.T, root *etree.Element) {
			orig := root.FindElement("./Assertion")
			root.RemoveChild(orig)
			ev := evil(t)
			adv := etree.NewElement("saml:Advice")
			adv.AddChild(orig)
			ev.InsertChildAt(ev.FindElement("./Conditions").Index()+1, adv)
			root.AddChild(ev)
		}, ErrUnsigned},
		{"evil assertion before the signed one", func(t *testing.T, root *etree.Element) {
			root.InsertChildAt(root.FindElement("./Assertion").Index(), evil(t))
		}, ErrAssertionCount},
		{"signed assertion hidden in Extensions, evil one in place", func(t *testing.T, root *etree.Element) {
			orig := root.FindElement("./Assertion")
			root.RemoveChild(orig)
			ext := root.CreateElement("samlp:Extensions")
			ext.AddChild(orig)
			root.InsertChildAt(1, ext)
			root.AddChild(evil(t))
		}, ErrUnsigned},
		{"signed assertion with same ID duplicated", func(t *testing.T, root *etree.Element) {
			orig := root.FindElement("./Assertion")
			ev := evil(t)
			ev.CreateAttr("ID", orig.SelectAttrValue("ID", ""))
			ext := root.CreateElement("samlp:Extensions")
			ext.AddChild(ev)
		}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := etree.NewDocument()
			require.NoError(t, doc.ReadFromBytes(signed))
			tt.mod(t, doc.Root())
			b, err := doc.WriteToBytes()
			require.NoError(t, err)
			id, err := e.sp.ValidateResponse(context.Background(), b, out)
			require.ErrorIs(t, err, tt.want)
			require.Nil(t, id)
		})
	}
}

// TestValidateResponseCommentInjection: a comment inside the signed NameID
// does not change the signature (exc-c14n drops comments) and the SP reads
// the whole text, never the part before the comment (ruby-saml class).
func TestValidateResponseCommentInjection(t *testing.T) {
	e := newEnv(t)
	data := e.response(e.reqID, respOpts{signAssertion: true, assertion: func(a *saml.Assertion) {
		a.Subject.NameID.Value = "admin@example.hr.evil.example"
	}})
	data = []byte(strings.Replace(string(data), "admin@example.hr.evil.example", "admin@example.hr<!---->.evil.example", 1))
	id, err := e.sp.ValidateResponse(context.Background(), data, Outstanding{ID: e.reqID, Level: loa.Notified(loa.Low)})
	require.NoError(t, err)
	require.Equal(t, "admin@example.hr.evil.example", id.NameID)
}

func TestValidateResponseMalformed(t *testing.T) {
	e := newEnv(t)
	out := Outstanding{ID: e.reqID, Level: loa.Notified(loa.Low)}
	good := string(e.response(e.reqID, both))
	tests := map[string]string{
		"DOCTYPE":       `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]>` + good[strings.Index(good, "<samlp:Response"):],
		"not XML":       "hello",
		"wrong root":    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`,
		"version 1.1":   strings.Replace(good, `Version="2.0"`, `Version="1.1"`, 1),
		"oversize":      "<a>" + strings.Repeat("x", 2<<20) + "</a>",
		"deeply nested": strings.Repeat("<a>", 200) + strings.Repeat("</a>", 200),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			id, err := e.sp.ValidateResponse(context.Background(), []byte(data), out)
			require.ErrorIs(t, err, ErrMalformed)
			require.Nil(t, id)
		})
	}
}

func TestValidateResponseIdPState(t *testing.T) {
	e := newEnv(t)
	out := Outstanding{ID: e.reqID, Level: loa.Notified(loa.Low)}
	data := e.response(e.reqID, both)

	e.src.mu.Lock()
	e.src.p.Suspended, e.src.p.SuspendedNotice = true, "maintenance until 12:00"
	e.src.mu.Unlock()
	_, err := e.sp.ValidateResponse(context.Background(), data, out)
	require.ErrorIs(t, err, ErrIdPSuspended)
	var se *SuspendedError
	require.ErrorAs(t, err, &se)
	require.Equal(t, "maintenance until 12:00", se.Notice)

	e.src.mu.Lock()
	e.src.p.Suspended = false
	e.src.p.EntityID = "other"
	e.src.mu.Unlock()
	_, err = e.sp.ValidateResponse(context.Background(), data, out)
	require.ErrorIs(t, err, ErrUnknownIdP)

	e.src.mu.Lock()
	e.src.p.EntityID = testIdPEntity
	e.src.mu.Unlock()
	e.now = e.now.Add(72 * time.Hour) // metadata validUntil is now+48h
	_, err = e.sp.ValidateResponse(context.Background(), data, out)
	require.ErrorIs(t, err, ErrIdPExpired)
}

func TestIdentityAttributes(t *testing.T) {
	e := newEnv(t)
	id, err := e.sp.ValidateResponse(context.Background(), e.response(e.reqID, both), Outstanding{ID: e.reqID, Level: loa.Notified(loa.Low)})
	require.NoError(t, err)
	require.Equal(t, "Ivana", id.First(AttrGivenName))
	require.Equal(t, "Horvat", id.First(AttrFamilyName))
	require.Equal(t, "1980-01-31", id.First(AttrDateOfBirth))
	require.Equal(t, []string{"Ωνάσης", "Onasis"}, id.Values(EIDASCurrentFamilyName))
	require.Equal(t, "Onasis", id.First(EIDASCurrentFamilyName), "Latin script value preferred")
	require.Equal(t, "Onasis", id.First("FamilyName"), "FriendlyName lookup")
	require.False(t, id.RawAttributes[5].Values[0].LatinScript)
	require.Equal(t, loa.Notified(loa.Substantial), id.LoA)
	require.Equal(t, loa.EIDASSubstantial, id.LoAClassRef)
	require.Equal(t, e.reqID, id.RequestID)
	require.Empty(t, id.First("missing"))
}

// TestPartnerRegistry: the SP works against a *partner.Registry, and the
// registry's suspension (N25) and unknown-partner errors map to the SP's.
func TestPartnerRegistry(t *testing.T) {
	e := newEnv(t)
	reg, err := partner.NewStatic(partner.StaticConfig{Environment: partner.EnvTest, Now: e.cfg.Now, Partners: []*partner.Partner{{EntityID: testIdPEntity, Metadata: e.idpMeta}}})
	require.NoError(t, err)
	cfg := e.cfg
	cfg.IdPs = reg
	s, err := New(cfg)
	require.NoError(t, err)
	out := Outstanding{ID: e.reqID, Level: loa.Notified(loa.Low)}
	_, err = s.ValidateResponse(context.Background(), e.response(e.reqID, both), out)
	require.NoError(t, err)

	require.NoError(t, reg.Suspend(testIdPEntity, "planned maintenance"))
	_, err = s.ValidateResponse(context.Background(), e.response(e.reqID, both), out)
	require.ErrorIs(t, err, ErrIdPSuspended)
	require.ErrorIs(t, err, partner.ErrSuspended)
	var se *SuspendedError
	require.ErrorAs(t, err, &se)
	require.Equal(t, "planned maintenance", se.Notice)
	_, err = s.MakeAuthnRequest(context.Background(), LoginOptions{})
	require.ErrorIs(t, err, ErrIdPSuspended)
	reg.Resume(testIdPEntity)

	cfg.IdPEntityID = "https://unknown.example/idp"
	s, err = New(cfg)
	require.NoError(t, err)
	_, err = s.MakeAuthnRequest(context.Background(), LoginOptions{})
	require.ErrorIs(t, err, ErrUnknownIdP)
	require.ErrorIs(t, err, partner.ErrUnknownPartner)
}
