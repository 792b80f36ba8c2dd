FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# tesseract-ocr reads scanned letters (OCR) in the worker; nodejs and npm build the GOV.UK stylesheet.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm tesseract-ocr tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY tracker/__init__.py tracker/celery.py tracker/
COPY responses/__init__.py responses/
RUN pip install --no-cache-dir -e .
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# GOV.UK Frontend stylesheet compiled from npm's sources, then everything collected for whitenoise.
RUN npm run build:css && DEBUG=0 SECRET_KEY=build-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000"]
