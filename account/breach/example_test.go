package breach_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/eidkit/eidkit/account/breach"
	"github.com/eidkit/eidkit/account/policy"
)

func ExampleClient_Count() {
	// A stand-in for the range API; SHA-1("P@ssw0rd") is 21BD1 + 2DC183F7...
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("asked for", r.URL.Path, "padding:", r.Header.Get("Add-Padding"))
		fmt.Fprint(w, "2DC183F740EE76F27B78EB39C8AD972A757:52579\r\n00000000000000000000000000000000000:0\r\n")
	}))
	defer srv.Close()
	c, err := breach.New(breach.Config{BaseURL: srv.URL, AllowInsecureHTTP: true})
	if err != nil {
		panic(err)
	}
	chk, err := policy.New(policy.Config{Breach: c})
	if err != nil {
		panic(err)
	}
	res, err := chk.Check(context.Background(), policy.Request{Profile: policy.ProfileNIST,
		Class: policy.ClassUser, SecondFactor: true, Password: "P@ssw0rd"})
	if err != nil {
		panic(err)
	}
	for _, v := range res.Violations {
		fmt.Println(v.Code, v.English)
	}
	// Output:
	// asked for /range/21BD1 padding: true
	// blocklist.common The password is built on "p@ssw0rd", number 4795 in a list of commonly used passwords.
	// blocklist.breached The password has appeared 52579 times in known data breaches.
}
