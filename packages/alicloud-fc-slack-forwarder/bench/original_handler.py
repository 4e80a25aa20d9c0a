# The original demo's approach, for the cold-start comparison: an FC Python 3 event handler that
# pretty-prints the CloudMonitor event and posts it to Slack with `requests`.
# Run as: python3 original_handler.py <event-file>   (SLACK_WEBHOOK_URL from the environment)
import json
import os
import sys

import requests


def handler(event, context):
    evt = json.loads(event)
    message = json.dumps(evt, indent=4, ensure_ascii=False)
    response = requests.post(os.environ["SLACK_WEBHOOK_URL"], json={"text": "```" + message + "```"}, timeout=10)
    response.raise_for_status()
    return "ok"


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        handler(f.read(), None)
