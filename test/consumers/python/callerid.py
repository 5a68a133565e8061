"""A consumer in fedlogin's interop matrix: boto3 with a named profile (its credential_process
runs fedlogin), STS GetCallerIdentity at the given endpoint, one JSON line on stdout.

Usage: python3 callerid.py PROFILE ENDPOINT_URL
"""
import json
import sys

import boto3


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: python3 callerid.py PROFILE ENDPOINT_URL", file=sys.stderr)
        return 2
    profile, endpoint = sys.argv[1], sys.argv[2]
    session = boto3.Session(profile_name=profile, region_name="us-east-1")
    out = session.client("sts", endpoint_url=endpoint).get_caller_identity()
    creds = session.get_credentials()
    expiry = getattr(creds, "_expiry_time", None)
    print(json.dumps({
        "Account": out["Account"],
        "Arn": out["Arn"],
        "UserId": out["UserId"],
        "AccessKeyId": creds.get_frozen_credentials().access_key,
        "Method": creds.method,
        "Expiration": expiry.isoformat() if expiry is not None else None,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
