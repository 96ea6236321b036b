from panther_base_helpers import deep_get

CLOUDTRAIL_STOP_DELETE = {"DeleteTrail", "StopLogging"}


def rule(event):
    if event.get("errorCode") == "AccessDenied":
        return False
    if deep_get(event, "userIdentity", "invokedBy") == "AWS Internal":
        return False
    return event.get("eventSource") == "cloudtrail.amazonaws.com" and event.get("eventName") in CLOUDTRAIL_STOP_DELETE


def title(event):
    return f"CloudTrail [{deep_get(event, 'requestParameters', 'name')}] was stopped or deleted"
