// The clinic filter, for staff who see more than one clinic (owners).
import { trpc } from "../../app/trpc.ts";

interface ClinicFilterProps {
  clinicId: number | undefined;
  onChange(clinicId: number | undefined): void;
}

export function ClinicFilter({ clinicId, onChange }: ClinicFilterProps) {
  const clinics = trpc.clinics.list.useQuery(undefined, { staleTime: 10 * 60_000 });
  if (!clinics.data || clinics.data.length < 2) return null;
  return (
    <>
      <label htmlFor="clinic-filter" className="visually-hidden">
        Clinic
      </label>
      <select
        id="clinic-filter"
        className="select"
        value={clinicId ?? ""}
        onChange={(event) => onChange(event.target.value ? Number(event.target.value) : undefined)}
      >
        <option value="">All clinics</option>
        {clinics.data.map((clinic) => (
          <option key={clinic.id} value={clinic.id}>
            {clinic.name}
          </option>
        ))}
      </select>
    </>
  );
}
