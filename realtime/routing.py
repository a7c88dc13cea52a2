"""Websocket routes and the middleware every socket passes through.

Order, outermost first: origin check (no Origin -> token required, cookies dropped), session
auth (read only: ``realtime.auth.session_auth``), token auth (a token wins over the session),
then the URL router.
"""

from channels.routing import URLRouter
from django.urls import path, re_path

from realtime.auth import OriginOrTokenValidator, TokenAuthMiddleware, session_auth
from realtime.consumers import MeetingSocket, NoSuchSocket, PublicMeetingSocket

websocket_urlpatterns = [
    path("ws/meetings/<int:meeting_id>/", MeetingSocket.as_asgi()),
    path("ws/public/meetings/<int:meeting_id>/", PublicMeetingSocket.as_asgi()),
    re_path(r"", NoSuchSocket.as_asgi()),
]

websocket_application = OriginOrTokenValidator(
    session_auth(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
)
