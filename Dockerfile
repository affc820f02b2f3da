# Flightdeck: an npm stage fetches Chart.js, a slim Python stage runs gunicorn as a non-root user.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json ./
RUN npm install --no-audit --no-fund --omit=dev

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 FLIGHTDECK_CONFIG=production \
    FLIGHTDECK_INSTANCE_DIR=/var/lib/flightdeck
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /build/node_modules/chart.js/dist/chart.umd.js static/vendor/chart.umd.js
RUN useradd --system --uid 10001 --home /var/lib/flightdeck --create-home flightdeck \
    && chown -R flightdeck /var/lib/flightdeck
USER flightdeck
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["sh", "-c", "flask --app wsgi db upgrade && exec gunicorn --bind 0.0.0.0:8000 --workers 2 --threads 4 wsgi:app"]
