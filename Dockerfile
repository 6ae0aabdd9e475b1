# syntax=docker/dockerfile:1
# Build stage: a wheel of salescoach and its dependencies.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY coaching ./coaching
COPY prompts ./prompts
COPY storage ./storage
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Runtime stage: only the wheels, run as an unprivileged user.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 COACH_HOST=0.0.0.0 COACH_PORT=3000
RUN useradd --create-home --uid 10001 coach
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
USER coach
WORKDIR /home/coach
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=2)"]
# `coach serve` applies pending migrations before it starts listening.
ENTRYPOINT ["coach"]
CMD ["serve"]
