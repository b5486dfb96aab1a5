"""Signals through which faces learn about jobs without the engine importing them.

- ``job_pre_send(sender=Job, job=job)``: sent before a gateway is called. A receiver may raise
  ``DeliveryError`` to stop the send (e.g. WhatsApp consent withdrawn: reason ``no_consent``).
- ``job_finished(sender=Job, job=job)``: sent after a job's final state is committed
  (succeeded, failed or cancelled).
"""

from django.dispatch import Signal

job_pre_send = Signal()
job_finished = Signal()
