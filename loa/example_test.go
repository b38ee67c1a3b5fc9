package loa_test

import (
	"errors"
	"fmt"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/loa"
)

func ExampleParseClassRef() {
	for _, s := range []string{
		"http://eidas.europa.eu/LoA/substantial",
		"http://eidas.europa.eu/LoA/NotNotified/low", // legacy spelling
		"STORK-QAA-Level-3",
		"http://eidas.europa.eu/LoA/medium",
	} {
		l, err := loa.ParseClassRef(s)
		if err != nil {
			fmt.Println("error:", errors.Is(err, loa.ErrInvalidClassRef), err)
			continue
		}
		out, err := l.ClassRef()
		fmt.Printf("%s -> %q %v\n", l, out, err)
	}
	// Output:
	// eIDAS substantial -> "http://eidas.europa.eu/LoA/substantial" <nil>
	// eIDAS non-notified low -> "http://eidas.europa.eu/NotNotified/LoA/low" <nil>
	// STORK QAA 3 -> "" loa: level cannot be expressed in this form
	// error: true loa: malformed AuthnContextClassRef in a reserved scheme: "http://eidas.europa.eu/LoA/medium"
}

func ExampleRegistry_ParseClassRef() {
	reg, err := loa.New(loa.RegistryConfig{
		National: []loa.NationalLevel{
			{ClassRef: "urn:hr:nias:loa:3", Equivalent: loa.STORK(3)},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	l, err := reg.ParseClassRef("urn:hr:nias:loa:3")
	fmt.Println(l, err)
	eidas, _ := reg.Mapping().ToEIDAS(l)
	fmt.Println(eidas)
	_, err = reg.ParseClassRef("urn:hr:nias:loa:9")
	fmt.Println(errors.Is(err, loa.ErrUnknownClassRef))
	// Output:
	// urn:hr:nias:loa:3 (STORK QAA 3) <nil>
	// eIDAS substantial
	// true
}

func ExampleMapping() {
	m := loa.DefaultMapping()
	for q := 1; q <= 4; q++ {
		e, ok := m.ToEIDAS(loa.STORK(q))
		fmt.Printf("QAA%d -> %s %v\n", q, e, ok)
	}
	for _, t := range []loa.Tier{loa.Low, loa.Substantial, loa.High} {
		q, _ := m.MinQAA(loa.Notified(t))
		fmt.Printf("request %s -> demand %s\n", t, q)
	}
	// Output:
	// QAA1 -> invalid level false
	// QAA2 -> eIDAS low true
	// QAA3 -> eIDAS substantial true
	// QAA4 -> eIDAS high true
	// request low -> demand STORK QAA 2
	// request substantial -> demand STORK QAA 3
	// request high -> demand STORK QAA 4
}

func ExampleRegistry_Satisfies() {
	reg, err := loa.New(loa.RegistryConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	// An e-service asks for exactly substantial.
	req, err := reg.ParseRequested("exact", []string{"http://eidas.europa.eu/LoA/substantial"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, granted := range []loa.Level{loa.Notified(loa.High), loa.STORK(3), loa.Notified(loa.Low)} {
		fmt.Printf("%s: %v\n", granted, reg.Satisfies(granted, req))
	}

	strict, _ := loa.New(loa.RegistryConfig{StrictSAMLComparison: true})
	fmt.Printf("strict SAML, eIDAS high: %v\n", strict.Satisfies(loa.Notified(loa.High), req))
	// Output:
	// eIDAS high: true
	// STORK QAA 3: true
	// eIDAS low: false
	// strict SAML, eIDAS high: false
}

func ExampleValidateEIDASRequest() {
	reqs := []loa.Requested{
		loa.Minimum(loa.Notified(loa.Substantial)),
		{Comparison: loa.ComparisonExact, Levels: []loa.Level{loa.NotNotified(loa.Low), loa.Notified(loa.High)}},
		{Comparison: loa.ComparisonMinimum, Levels: []loa.Level{loa.Notified(loa.Low), loa.Notified(loa.High)}},
		{Comparison: loa.ComparisonBetter, Levels: []loa.Level{loa.Notified(loa.Low)}},
	}
	for _, req := range reqs {
		err := loa.ValidateEIDASRequest(req)
		var re *loa.RequestError
		if errors.As(err, &re) {
			fmt.Println("rejected:", re.Rule)
			continue
		}
		fmt.Println("ok")
	}
	// Output:
	// ok
	// ok
	// rejected: a request of notified levels only must list exactly one
	// rejected: only minimum and exact comparison are supported
}

func ExampleNewSTORKQAA() {
	el, err := loa.NewSTORKQAA(loa.STORK(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := etree.NewDocument()
	doc.SetRoot(el)
	s, _ := doc.WriteToString()
	fmt.Println(s)

	l, err := loa.ParseSTORKQAA(doc.Root())
	fmt.Println(l, err)
	// Output:
	// <stork:QualityAuthenticationAssuranceLevel xmlns:stork="urn:eu:stork:names:tc:STORK:1.0:assertion">3</stork:QualityAuthenticationAssuranceLevel>
	// STORK QAA 3 <nil>
}

func ExampleRegistry_NIASCondition() {
	reg, err := loa.New(loa.RegistryConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	el, err := reg.NIASCondition(loa.Notified(loa.Substantial))
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := etree.NewDocument()
	doc.SetRoot(el)
	s, _ := doc.WriteToString()
	fmt.Println(s)

	l, err := reg.ParseNIASCondition(doc.Root())
	fmt.Println(l, err)
	// Output:
	// <saml:Condition xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:q1="http://nias.eid.com.hr/2012/07/saml20Extension" xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="3"/>
	// STORK QAA 3 <nil>
}
