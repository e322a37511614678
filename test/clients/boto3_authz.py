"""Authorization through boto3: signed principals, key policy + identity policies, ABAC by a key tag.

Usage: python3 boto3_authz.py <endpoint-url>
Access keys (fixed by authz-clients.test.ts): ROOT = the account root, ALICE = user alice (team=blue,
allowed on keys tagged with her team), BOB = user bob (no identity policy). Prints what it saw as JSON.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client(access_key_id):
    return boto3.client(
        "kms",
        endpoint_url=sys.argv[1],
        region_name="eu-west-1",
        aws_access_key_id=access_key_id,
        aws_secret_access_key=f"{access_key_id}-secret",
        config=Config(retries={"max_attempts": 1}),
    )


root, alice, bob = client("AKIAROOT0000000000001"), client("AKIAALICE000000000001"), client("AKIABOB00000000000001")


def encrypt(kms, key_id):
    """The Encrypt outcome: the key ARN it answered with, or the error code, message and HTTP status."""
    try:
        return {"ok": kms.encrypt(KeyId=key_id, Plaintext=b"abac")["KeyId"]}
    except ClientError as e:
        return {
            "code": e.response["Error"]["Code"],
            "message": e.response["Error"]["Message"],
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
        }


out = {}
key = root.create_key(Description="authz from boto3", Tags=[{"TagKey": "team", "TagValue": "blue"}])["KeyMetadata"]
out["arn"] = key["Arn"]
out["aliceTagged"] = encrypt(alice, key["KeyId"])
out["bob"] = encrypt(bob, key["KeyId"])
root.untag_resource(KeyId=key["KeyId"], TagKeys=["team"])
out["aliceUntagged"] = encrypt(alice, key["KeyId"])
root.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "team", "TagValue": "blue"}])
out["aliceRetagged"] = encrypt(alice, key["KeyId"])
# Another team's value is not her team: the condition compares values, not only the tag's presence.
root.tag_resource(KeyId=key["KeyId"], Tags=[{"TagKey": "team", "TagValue": "red"}])
out["aliceOtherTeam"] = encrypt(alice, key["KeyId"])
print(json.dumps(out))
