// Command callerid is a consumer in fedlogin's interop matrix: it loads the shared AWS config like
// any Go SDK v2 program (config.LoadDefaultConfig with a profile, so a credential_process profile
// runs fedlogin), calls STS GetCallerIdentity at the given endpoint, and prints the result as JSON.
//
// Usage: callerid -profile NAME -endpoint URL [-region REGION]
//
// It builds offline against Debian's golang-github-aws-aws-sdk-go-v2-dev (1.17.x), in GOPATH mode:
// GO111MODULE=off GOPATH=/usr/share/gocode go build -o callerid main.go
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

func main() {
	profile := flag.String("profile", "", "shared config profile")
	endpoint := flag.String("endpoint", "", "STS endpoint URL")
	region := flag.String("region", "us-east-1", "region")
	flag.Parse()
	if *profile == "" || *endpoint == "" {
		fmt.Fprintln(os.Stderr, "usage: callerid -profile NAME -endpoint URL [-region REGION]")
		os.Exit(2)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithSharedConfigProfile(*profile), config.WithRegion(*region))
	if err != nil {
		fmt.Fprintln(os.Stderr, "load config:", err)
		os.Exit(1)
	}
	client := sts.NewFromConfig(cfg, func(o *sts.Options) {
		// Go SDK 1.17 has no BaseEndpoint; the per-client resolver is its way to a custom URL.
		o.EndpointResolver = sts.EndpointResolverFromURL(*endpoint)
	})
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "GetCallerIdentity:", err)
		os.Exit(1)
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "credentials:", err)
		os.Exit(1)
	}
	// the expiry the SDK parsed from fedlogin's JSON; null when it thinks the credentials never expire
	var expiration interface{}
	if creds.CanExpire {
		expiration = creds.Expires.UTC().Format(time.RFC3339Nano)
	}
	result := map[string]interface{}{
		"Account":     aws.ToString(out.Account),
		"Arn":         aws.ToString(out.Arn),
		"UserId":      aws.ToString(out.UserId),
		"Source":      creds.Source,
		"AccessKeyId": creds.AccessKeyID,
		"Expiration":  expiration,
	}
	if err := json.NewEncoder(os.Stdout).Encode(result); err != nil {
		os.Exit(1)
	}
}
