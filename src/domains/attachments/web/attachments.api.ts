import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Attachment } from '../attachments.contract.ts';
import { api, download, upload } from '../../../web/api.ts';

export const attachmentsKeys = {
  of: (ownerType: string, ownerId: string) => ['attachments', ownerType, ownerId] as const,
};

export function useAttachments(ownerType: string, ownerId: string) {
  return useQuery({
    queryKey: attachmentsKeys.of(ownerType, ownerId),
    queryFn: ({ signal }) => api<{ items: Attachment[] }>('/api/attachments', { query: { ownerType, ownerId }, signal }).then((r) => r.items),
  });
}

/**
 * Sent as octet-stream whatever the browser guesses: the server decides the type from the bytes,
 * and a guessed type it does not list (image/gif) would otherwise be refused before that check.
 */
export function useUploadAttachment(ownerType: string, ownerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, note }: { file: File; note?: string }) =>
      upload<Attachment>('/api/attachments', file, { fileName: file.name, contentType: 'application/octet-stream', query: { ownerType, ownerId, note } }),
    onSettled: () => qc.invalidateQueries({ queryKey: attachmentsKeys.of(ownerType, ownerId) }),
  });
}

export function useRemoveAttachment(ownerType: string, ownerId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/attachments/${id}`, { method: 'DELETE' }),
    onSettled: () => qc.invalidateQueries({ queryKey: attachmentsKeys.of(ownerType, ownerId) }),
  });
}

export function downloadAttachment(a: Attachment) {
  return download(`/api/attachments/${a.id}/content`, undefined, a.fileName);
}
